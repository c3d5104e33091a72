using Jobs.Core.Engine.Catalog;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Journeys;

public static class JourneyWorkerExtensions
{
    /// <summary>
    /// The AI journey job types (docs/design.md, "Workloads"): from a transcript, from a diagram. Needs the
    /// integrations.
    /// </summary>
    public static IServiceCollection AddJourneyHandlers(this IServiceCollection services)
    {
        services.AddSingleton<JourneyGenerator>();
        services.AddSingleton<IJobHandler, JourneyFromTranscriptHandler>();
        services.AddSingleton<IJobHandler, JourneyFromDiagramHandler>();
        return services;
    }

    /// <summary>The catalog entries of the journey job types, for hosts that publish them without running them.</summary>
    public static IReadOnlyList<JobTypeDefinition> JobTypes { get; } =
    [
        JourneyFromTranscriptHandler.JobType,
        JourneyFromDiagramHandler.JobType,
    ];
}
