namespace Aspire.Hosting;

/// <summary>
/// Implemented by the <c>Projects.*</c> classes the build generates from the AppHost's ProjectReference items
/// (build/Jobs.Hosting.AppModel.targets here, Aspire's SDK in Aspire mode).
/// </summary>
public interface IProjectMetadata
{
    string ProjectPath { get; }
}
