using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class ResourceBuilderExtensions
{
    /// <summary>Injects <c>ConnectionStrings__{source name}</c>.</summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(
        this IResourceBuilder<TDestination> builder, IResourceBuilder<IResourceWithConnectionString> source)
        where TDestination : IResourceWithEnvironment =>
        AddReference(builder, source.Resource);

    /// <summary>Injects <c>services__{source name}__http__0</c>, the service discovery keys.</summary>
    public static IResourceBuilder<TDestination> WithReference<TDestination>(
        this IResourceBuilder<TDestination> builder, IResourceBuilder<IResourceWithServiceDiscovery> source)
        where TDestination : IResourceWithEnvironment =>
        AddReference(builder, source.Resource);

    /// <summary>Starts this resource only once <paramref name="dependency"/> is healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T>(this IResourceBuilder<T> builder, IResourceBuilder<IResource> dependency)
        where T : IResourceWithWaitSupport
    {
        Project(builder).WaitsFor.Add(dependency.Resource);
        return builder;
    }

    /// <param name="port">Fixed port; null gives each replica a free one.</param>
    public static IResourceBuilder<T> WithHttpEndpoint<T>(this IResourceBuilder<T> builder, int? port = null)
        where T : IResourceWithEndpoints
    {
        var project = Project(builder);
        if (project.HasHttpEndpoint)
        {
            throw new InvalidOperationException($"'{project.Name}' already has an http endpoint.");
        }

        project.HasHttpEndpoint = true;
        project.HttpPort = port;
        return builder;
    }

    /// <summary>Marks the http endpoint public in the manifest; locally everything listens on 127.0.0.1 anyway.</summary>
    public static IResourceBuilder<T> WithExternalHttpEndpoints<T>(this IResourceBuilder<T> builder)
        where T : IResourceWithEndpoints
    {
        Project(builder).IsExternal = true;
        return builder;
    }

    /// <summary>The resource is healthy once GET <paramref name="path"/> on its http endpoint answers 200.</summary>
    public static IResourceBuilder<T> WithHttpHealthCheck<T>(this IResourceBuilder<T> builder, string? path = null)
        where T : IResourceWithEndpoints
    {
        var project = Project(builder);
        if (!project.HasHttpEndpoint)
        {
            throw new InvalidOperationException($"'{project.Name}' has no http endpoint to check; call WithHttpEndpoint first.");
        }

        project.HealthCheckPath = path ?? "/";
        return builder;
    }

    private static IResourceBuilder<TDestination> AddReference<TDestination>(IResourceBuilder<TDestination> builder, IResource source)
        where TDestination : IResource
    {
        Project(builder).References.Add(source);
        return builder;
    }

    // Projects are the only resources of the subset that take references, endpoints and waits.
    private static ProjectResource Project<T>(IResourceBuilder<T> builder) where T : IResource =>
        builder.Resource as ProjectResource
        ?? throw new NotSupportedException($"'{builder.Resource.Name}': only projects take references, endpoints and waits in the local AppHost.");
}
