using Jobs.Worker.Maintenance;
using Jobs.Worker.Webhooks;

namespace Jobs.Worker.Processing;

public static class WorkerExtensions
{
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
