using Jobs.Core.Engine.Catalog.Declarations;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// <c>contacts.delete</c>: deletes up to 1,000 contacts for good (their tags and enrollments go with them),
/// <see cref="BatchSize"/> per transaction, with processed/total after each. Each deletion is journalled in
/// <c>contact_deletions</c> in the same transaction, so a rerun after a crash reports the contacts its earlier attempt
/// deleted as deleted, not as not found.
/// </summary>
[JobType(TypeName, Title = "Contact deletion", Items = "contacts", Bulk = true, MaxAttempts = 3, TimeoutSeconds = 600,
    Description = "Deletes contacts for good, with their tags and sequence enrollments.")]
[JobStage(Stage, "Deleting contacts…")]
[JobMetric("deleted", "Deleted")]
[JobMetric("not_found", "Not found")]
public sealed class ContactDeleteHandler(ContactReader reader, ContactWriter writer) : JobHandler<ContactDeletePayload, ContactDeleteResult>
{
    public const string TypeName = "contacts.delete";
    public const string Stage = "deleting";
    public const int BatchSize = 200;

    protected override async Task<ContactDeleteResult> HandleAsync(JobContext context, ContactDeletePayload payload, CancellationToken cancellationToken)
    {
        var workspaceId = context.Job.WorkspaceId;
        var contactIds = payload.ContactIds.Distinct().ToList();
        var outcome = await ContactBatches.RunAsync(context, reader, contactIds, BatchSize, "deletes", Stage,
            $"deleting {contactIds.Count} contacts", "deleted",
            (batch, ct) => writer.ContactDeleteManyAsync(context.Job.Lease, workspaceId, batch, ct), cancellationToken);

        return new ContactDeleteResult(outcome.Total, outcome.Applied, outcome.NotFound);
    }
}
