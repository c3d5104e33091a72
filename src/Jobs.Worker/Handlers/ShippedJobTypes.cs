using Jobs.Worker.Handlers.Contacts;
using Jobs.Worker.Handlers.Demo;
using Jobs.Worker.Handlers.Journeys;
using Jobs.Worker.Handlers.Leads;
using Jobs.Worker.Integrations;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers;

/// <summary>The job types this repository ships (docs/design.md, "Workloads"), and what their handlers use.</summary>
public static class ShippedJobTypes
{
    /// <summary>The external services and workload stores the shipped handlers use, then the shipped job types.</summary>
    public static IHostApplicationBuilder AddShippedJobTypes(this IHostApplicationBuilder builder)
    {
        builder.AddJobsIntegrations();
        builder.Services.AddSingleton<CampaignWriter>();
        builder.Services.AddSingleton<ContactReader>();
        builder.Services.AddSingleton<ContactWriter>();
        builder.Services.AddSingleton<JourneyGenerator>();
        builder.Services.AddShippedJobHandlers();
        return builder;
    }

    /// <summary>
    /// One registration per shipped job type: demo, lead discovery, the contact bulk operations, the AI journeys. Test
    /// clusters publish the catalog entries of this same list
    /// (<see cref="JobHandlerServiceCollectionExtensions.JobTypeDefinitionsIn"/>).
    /// </summary>
    public static IServiceCollection AddShippedJobHandlers(this IServiceCollection services) => services
        .AddJobHandler<DemoJobHandler>()
        .AddJobHandler<LeadDiscoveryHandler>()
        .AddJobHandler<ContactSubscribeHandler>()
        .AddJobHandler<ContactTagHandler>()
        .AddJobHandler<ContactDeleteHandler>()
        .AddJobHandler<ContactExportHandler>()
        .AddJobHandler<ContactImportHandler>()
        .AddJobHandler<JourneyFromTranscriptHandler>()
        .AddJobHandler<JourneyFromDiagramHandler>();
}
