using Aspire.Hosting.ApplicationModel;
using Jobs.Hosting.AppModel;

namespace Aspire.Hosting;

/// <summary>
/// The built app model. <see cref="Run"/> either writes the manifest (<c>--publisher manifest --output-path …</c>)
/// or starts every resource locally and blocks until Ctrl-C or SIGTERM; a failed start sets a non-zero exit code.
/// </summary>
public class DistributedApplication
{
    private readonly IReadOnlyList<IResource> _resources;
    private readonly AppHostArguments _arguments;
    private readonly string _appHostDirectory;

    internal DistributedApplication(IReadOnlyList<IResource> resources, AppHostArguments arguments, string appHostDirectory)
    {
        _resources = resources;
        _arguments = arguments;
        _appHostDirectory = appHostDirectory;
    }

    public static IDistributedApplicationBuilder CreateBuilder(string[] args) => new DistributedApplicationBuilder(args);

    public void Run()
    {
        if (_arguments.IsPublishMode)
        {
            var path = ManifestWriter.Write(_resources, _arguments.OutputPath, _appHostDirectory);
            Console.WriteLine($"Published manifest to: {path}");
            return;
        }

        Environment.ExitCode = new LocalRun(_resources, _appHostDirectory).RunAsync().GetAwaiter().GetResult();
    }
}
