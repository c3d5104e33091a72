using Jobs.Core.Database;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Dependencies;
using Jobs.Core.Engine.Schedules;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Files;
using Jobs.Core.Identity;
using Jobs.Core.Webhooks;
using Jobs.Core.Workloads.Campaigns;
using Jobs.Core.Workloads.Contacts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Jobs.Core.Hosting;

public static class JobsCoreExtensions
{
    /// <summary>
    /// The engine's stores (jobs, schedules, workspaces, files, webhooks, contacts, campaigns), queue, event bus and catalog, over the <c>NpgsqlDataSource</c> and
    /// <c>IConnectionMultiplexer</c> that <c>AddNpgsqlDataSource("jobsdb")</c> and <c>AddRedisClient("redis")</c>
    /// registered. <c>Jobs:RedisKeyPrefix</c> optionally namespaces every Redis key; <c>Storage</c> holds the storage
    /// quota (<see cref="StorageOptions"/>), <c>Webhooks</c> the webhook rules (<see cref="WebhookOptions"/>).
    /// </summary>
    public static TBuilder AddJobsCore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        builder.AddJobsEvents();
        services.AddSingleton<IJobStore, NpgsqlJobStore>();
        services.AddSingleton<IClusterStore, NpgsqlClusterStore>();
        services.AddSingleton<IScheduleStore, NpgsqlScheduleStore>();
        services.AddSingleton<IJobDependencyStore, NpgsqlJobDependencyStore>();
        services.AddSingleton<IWorkspaceStore, NpgsqlWorkspaceStore>();
        services.AddSingleton<IContactStore, NpgsqlContactStore>();
        services.AddSingleton<ICampaignStore, NpgsqlCampaignStore>();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IFileStore, NpgsqlFileStore>();
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IWebhookStore, NpgsqlWebhookStore>();
        services.AddSingleton<WebhookAddressPolicy>();
        services.AddSingleton<JobQueue>();
        services.AddSingleton<HintSender>();
        services.AddSingleton<JobTypeCatalog>();
        services.AddSingleton<Migrator>();
        return builder;
    }

    /// <summary>
    /// Only the live-update side of the engine: <see cref="RedisKeys"/> (from <c>Jobs:RedisKeyPrefix</c>) and
    /// <see cref="JobEventBus"/> over the registered <c>IConnectionMultiplexer</c>. For a host that hears events but
    /// must not reach the database, as the web (it references the API and Redis only: docs/design.md, "Topology").
    /// </summary>
    public static TBuilder AddJobsEvents<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(new RedisKeys(builder.Configuration["Jobs:RedisKeyPrefix"] ?? ""));
        builder.Services.TryAddSingleton<JobEventBus>();
        return builder;
    }

    /// <summary>Applies migrations at start-up, before the host serves anything.</summary>
    public static TBuilder AddJobsMigrations<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHostedService<MigrationService>();
        return builder;
    }
}
