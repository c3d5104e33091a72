using Jobs.Core.Engine.Catalog;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Contacts;

public static class ContactsWorkerExtensions
{
    /// <summary>
    /// The contact bulk operations (docs/design.md, "Workloads"): subscribe, tag, delete, export, import.
    /// </summary>
    public static IServiceCollection AddContactHandlers(this IServiceCollection services)
    {
        services.AddSingleton<ContactReader>();
        services.AddSingleton<ContactWriter>();
        services.AddSingleton<IJobHandler, ContactSubscribeHandler>();
        services.AddSingleton<IJobHandler, ContactTagHandler>();
        services.AddSingleton<IJobHandler, ContactDeleteHandler>();
        services.AddSingleton<IJobHandler, ContactExportHandler>();
        services.AddSingleton<IJobHandler, ContactImportHandler>();
        return services;
    }

    /// <summary>The catalog entries of the contact job types, for hosts that publish them without running them.</summary>
    public static IReadOnlyList<JobTypeDefinition> JobTypes { get; } =
    [
        ContactSubscribeHandler.JobType,
        ContactTagHandler.JobType,
        ContactDeleteHandler.JobType,
        ContactExportHandler.JobType,
        ContactImportHandler.JobType,
    ];
}
