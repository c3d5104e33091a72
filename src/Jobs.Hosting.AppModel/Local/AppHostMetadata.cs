using System.Reflection;
using Aspire.Hosting;

namespace Jobs.Hosting.AppModel;

/// <summary>
/// What the build stamped into the AppHost assembly (build/Jobs.Hosting.AppModel.targets): its project directory,
/// as Aspire's SDK does, and where each referenced project's built dll is.
/// </summary>
internal static class AppHostMetadata
{
    private const string AppHostProjectPathKey = "apphostprojectpath";
    private const string TargetPathKeyPrefix = "jobs.projecttargetpath:";

    public static string AppHostDirectory() =>
        Find(Assembly.GetEntryAssembly(), AppHostProjectPathKey) ?? Environment.CurrentDirectory;

    public static string TargetPath(IProjectMetadata project) =>
        Find(project.GetType().Assembly, TargetPathKeyPrefix + project.ProjectPath)
        ?? throw new InvalidOperationException($"No build output is known for {project.ProjectPath}; build the AppHost, which builds its projects.");

    /// <summary>The repository root (nearest directory with .git or a solution file), where <c>.jobs/</c> lives.</summary>
    public static string RepositoryRoot(string appHostDirectory)
    {
        for (var directory = new DirectoryInfo(appHostDirectory); directory is not null; directory = directory.Parent)
        {
            if (Directory.Exists(Path.Combine(directory.FullName, ".git")) || File.Exists(Path.Combine(directory.FullName, ".git"))
                || directory.EnumerateFiles("*.sln").Any() || directory.EnumerateFiles("*.slnx").Any())
            {
                return directory.FullName;
            }
        }

        return appHostDirectory;
    }

    private static string? Find(Assembly? assembly, string key) =>
        assembly?.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value;
}
