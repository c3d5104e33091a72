using Jobs.Core.Engine.Catalog;

namespace Jobs.Worker.Processing;

public static class JobHandlerServiceCollectionExtensions
{
    /// <summary>
    /// Registers a job type, the one place that does: its handler runs its jobs (<see cref="IJobHandler"/>, which the
    /// worker publishes to the catalog at start-up), and its <see cref="JobTypeDefinition"/>, built now so that a
    /// declaration that does not add up stops the host at start-up, is there for hosts that publish types without
    /// running them (<see cref="JobTypeDefinitionsIn"/>). Registering a handler twice registers it once.
    /// </summary>
    public static IServiceCollection AddJobHandler<THandler>(this IServiceCollection services)
        where THandler : class, IJobHandler
    {
        var definition = JobTypes.DefinitionOf<THandler>();
        if (services.Any(d => d.ServiceType == typeof(IJobHandler) && d.ImplementationType == typeof(THandler)))
        {
            return services;
        }

        services.AddSingleton<IJobHandler, THandler>();
        services.AddSingleton(definition);
        return services;
    }

    /// <summary>The catalog entries <see cref="AddJobHandler{THandler}"/> registered, in the order they were.</summary>
    public static IReadOnlyList<JobTypeDefinition> JobTypeDefinitionsIn(this IServiceCollection services) =>
        [.. services.Where(d => d.ServiceType == typeof(JobTypeDefinition)).Select(d => (JobTypeDefinition)d.ImplementationInstance!)];
}
