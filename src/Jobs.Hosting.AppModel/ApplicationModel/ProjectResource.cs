namespace Aspire.Hosting.ApplicationModel;

/// <summary>A .NET project of the solution, run from its build output (one process per replica).</summary>
public class ProjectResource(string name, IProjectMetadata metadata)
    : IResourceWithEnvironment, IResourceWithServiceDiscovery, IResourceWithWaitSupport
{
    public string Name { get; } = name;

    internal IProjectMetadata Metadata { get; } = metadata;

    /// <summary>In the order of the <c>WithReference</c> calls, which is the order of the environment variables.</summary>
    internal List<IResource> References { get; } = [];

    internal List<IResource> WaitsFor { get; } = [];

    internal int Replicas { get; set; } = 1;

    /// <summary>The one http endpoint the subset supports; null port means a free one per replica.</summary>
    internal bool HasHttpEndpoint { get; set; }

    internal int? HttpPort { get; set; }

    internal bool IsExternal { get; set; }

    internal string? HealthCheckPath { get; set; }
}
