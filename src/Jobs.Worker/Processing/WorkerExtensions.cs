using Jobs.Worker.Handlers;
using Jobs.Worker.Maintenance;
using Jobs.Worker.Webhooks;

namespace Jobs.Worker.Processing;

public static class WorkerExtensions
{
    /// <summary>The consumer loop, maintenance, the webhook dispatcher, and the handlers of the shipped job types.</summary>
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

        builder.AddShippedJobTypes();
        return builder;
    }
}
