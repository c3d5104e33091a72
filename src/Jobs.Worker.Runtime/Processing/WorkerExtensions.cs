using Jobs.Core.Hosting;
using Jobs.Worker.Maintenance;
using Jobs.Worker.Webhooks;

namespace Jobs.Worker.Processing;

public static class WorkerExtensions
{
    /// <summary>
    /// A worker process's whole set-up but its job types: the PostgreSQL and Redis clients as Aspire's integrations make
    /// them, under the AppHost's resource names <c>jobsdb</c> and <c>redis</c> (docs/design.md, "Configuration
    /// contract"), Jobs.Core, pending migrations applied at start-up, and <see cref="AddJobsWorker"/>.
    /// </summary>
    public static IHostApplicationBuilder AddJobsWorkerHost(this IHostApplicationBuilder builder)
    {
        builder.AddNpgsqlDataSource("jobsdb", configureDataSourceBuilder: NpgsqlClientSettings.DataSource);
        builder.AddRedisClient("redis", configureOptions: ClientSettings.Redis);
        builder.AddJobsCore();
        builder.AddJobsMigrations();
        return builder.AddJobsWorker();
    }

    /// <summary>
    /// The worker runtime: the consumer loop, the elected leader's maintenance and the webhook dispatcher. The job
    /// types come from the host's own <c>AddJobHandler&lt;T&gt;()</c> registrations; the worker serves the queues of those
    /// types and publishes them to the catalog (docs/extending.md).
    /// </summary>
    public static IHostApplicationBuilder AddJobsWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<WorkerOptions>()
            .BindConfiguration(WorkerOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<WorkerIdentity>();
        builder.Services.AddSingleton<StreamAcks>();
        builder.Services.AddSingleton<AttemptWriter>();
        builder.Services.AddSingleton<JobRunner>();
        builder.Services.AddSingleton<OutcomeRecorder>();
        builder.Services.AddSingleton<WorkerSignals>();
        builder.Services.AddSingleton<ConsumerService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ConsumerService>());
        builder.Services.AddSingleton<ScheduleFirer>();
        builder.Services.AddHostedService<MaintenanceService>();
        builder.Services.AddSingleton<WebhookSender>();
        builder.Services.AddHostedService<WebhookDispatcher>();
        return builder;
    }
}
