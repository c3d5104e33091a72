using Jobs.Core.Database;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Pauses;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Dependencies;
using Jobs.Core.Engine.Schedules;
using Jobs.Core.Engine.Templates;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Files;
using Jobs.Core.Identity;
using Jobs.Core.Webhooks;
using Jobs.Core.Workloads.Campaigns;
using Jobs.Core.Workloads.Contacts;
using Jobs.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Jobs.Core.Hosting;

public static class JobsCoreExtensions
{
    /// <summary>
    /// The engine's stores (jobs, schedules, templates, workspaces, files, webhooks, contacts, campaigns), queue, event bus and catalog, over the <c>NpgsqlDataSource</c> and
    /// <c>IConnectionMultiplexer</c> that <c>AddNpgsqlDataSource("jobsdb")</c> and <c>AddRedisClient("redis")</c>
    /// registered. <c>Jobs:RedisKeyPrefix</c> optionally namespaces every Redis key; <c>Storage</c> holds the storage
    /// quota (<see cref="StorageOptions"/>), <c>Webhooks</c> the webhook rules (<see cref="WebhookOptions"/>).
    /// </summary>
    public static TBuilder AddJobsCore<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.TryAddSingleton(TimeProvider.System);
        // The hearing side (RedisKeys, JobUpdateChannel) is what the web registers too; the engine adds publishing.
        builder.AddJobsLiveUpdates();
        services.TryAddSingleton<JobEventBus>();
        services.AddSingleton<IJobStore, NpgsqlJobStore>();
        services.AddSingleton<IClusterStore, NpgsqlClusterStore>();
        services.AddSingleton<IScheduleStore, NpgsqlScheduleStore>();
        services.AddSingleton<IJobTemplateStore, NpgsqlJobTemplateStore>();
        services.AddSingleton<IJobDependencyStore, NpgsqlJobDependencyStore>();
        services.AddSingleton<IPauseStore, NpgsqlPauseStore>();
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

    /// <summary>Applies migrations at start-up, before the host serves anything.</summary>
    public static TBuilder AddJobsMigrations<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHostedService<MigrationService>();
        return builder;
    }
}
