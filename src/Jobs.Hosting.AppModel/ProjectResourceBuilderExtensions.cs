using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class ProjectResourceBuilderExtensions
{
    /// <param name="launchProfileName">
    /// Must be null: launch profiles are not part of the subset, so endpoints come from <c>WithHttpEndpoint</c> alone,
    /// which keeps both modes alike.
    /// </param>
    public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name, string? launchProfileName)
        where TProject : IProjectMetadata, new()
    {
        if (launchProfileName is not null)
        {
            throw new NotSupportedException($"'{name}': launch profiles are not supported by the local AppHost; pass launchProfileName: null.");
        }

        return builder.AddResource(new ProjectResource(name, new TProject()));
    }

    public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        builder.Resource.Replicas = replicas;
        return builder;
    }
}
