using Aspire.Hosting.ApplicationModel;
using Jobs.Hosting.Local;
using Microsoft.Extensions.DependencyInjection;

namespace Aspire.Hosting;

public static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// Adds redis-server from this machine's binaries, working in <paramref name="dataDirectory"/>. It persists
    /// nothing: Jobs keeps only wake-up hints and live events in Redis, and PostgreSQL re-sends what a restart lost.
    /// Healthy once it answers, as <c>AddRedis</c>.
    /// </summary>
    /// <param name="port">The port it listens on; a free one when null.</param>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, string dataDirectory, int? port = null)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        var listenPort = port ?? FreePort.Next();
        var command = RedisServer.ServerCommand(dataDirectory, listenPort, persist: false);
        var redis = new LocalRedisResource(name, command, dataDirectory, listenPort);

        // Its working directory must exist before DCP starts it.
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(redis, (_, _) =>
        {
            Directory.CreateDirectory(dataDirectory);
            return Task.CompletedTask;
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis($"127.0.0.1:{listenPort}", name: healthCheckKey);

        return builder.AddResource(redis)
            .WithLoopbackEndpoint(LocalRedisResource.PrimaryEndpointName, listenPort)
            .WithArgs([.. command.Arguments])
            .WithIconName("Memory")
            .WithHealthCheck(healthCheckKey);
    }
}
