using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class RedisBuilderExtensions
{
    /// <param name="port">Host port; null picks a free one.</param>
    public static IResourceBuilder<RedisResource> AddRedis(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new RedisResource(name) { Port = port });
}
