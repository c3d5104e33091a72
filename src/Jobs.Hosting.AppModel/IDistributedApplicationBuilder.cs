using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

/// <summary>Collects the app model; the <c>Add…</c> extension methods add to it.</summary>
public interface IDistributedApplicationBuilder
{
    /// <summary>The directory of the AppHost project.</summary>
    string AppHostDirectory { get; }

    DistributedApplicationExecutionContext ExecutionContext { get; }

    IResourceBuilder<T> AddResource<T>(T resource) where T : IResource;

    DistributedApplication Build();
}
