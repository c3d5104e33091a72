using Jobs.Core.Catalog;
using Jobs.Core.Events;
using Jobs.Core.Queue;
using Jobs.Core.Storage;
using Jobs.Core.Workspaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Jobs.Core.Hosting;

public static class JobsCoreExtensions
{
    /// <summary>
    /// The engine's stores, queue, event bus and catalog, over the <c>NpgsqlDataSource</c> and
    /// <c>IConnectionMultiplexer</c> that <c>AddNpgsqlDataSource("jobsdb")</c> and <c>AddRedisClient("redis")</c>
    /// registered. <c>Jobs:RedisKeyPrefix</c> optionally namespaces every Redis key.
    /// </summary>
    public static TBuilder AddJobsCore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new RedisKeys(builder.Configuration["Jobs:RedisKeyPrefix"] ?? ""));
        services.AddSingleton<IJobStore, NpgsqlJobStore>();
        services.AddSingleton<IClusterStore, NpgsqlClusterStore>();
        services.AddSingleton<IWorkspaceStore, NpgsqlWorkspaceStore>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<JobEventBus>();
        services.AddSingleton<JobTypeCatalog>();
        services.AddSingleton<Migrator>();
        return builder;
    }

    /// <summary>Applies migrations at start-up, before the host serves anything.</summary>
    public static TBuilder AddJobsMigrations<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHostedService<MigrationService>();
        return builder;
    }
}
