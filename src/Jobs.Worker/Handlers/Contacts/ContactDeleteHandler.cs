using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Engine.Catalog;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// <c>contacts.delete</c>: deletes up to 1,000 contacts for good (their tags and enrollments go with them),
/// <see cref="BatchSize"/> per transaction, with processed/total after each. Each deletion is journalled in
/// <c>contact_deletions</c> in the same transaction, so a rerun after a crash reports the contacts its earlier attempt
/// deleted as deleted, not as not found.
/// </summary>
public sealed class ContactDeleteHandler(ContactReader reader, ContactWriter writer) : IJobHandler
{
    public const string TypeName = "contacts.delete";
    public const string Stage = "deleting";
    public const int BatchSize = 200;

    /// <summary>The catalog entry, static so that hosts without the handler's services (test clusters) can publish it.</summary>
    public static JobTypeDefinition JobType { get; } = ContactBatches.JobType(
        TypeName,
        "Deletes contacts for good, with their tags and sequence enrollments.",
        new JsonArray("contactIds"),
        new JsonObject
        {
            ["contactIds"] = ContactSchemas.ContactIds("The contacts to delete, 1 to 1,000."),
        }).WithDisplay(new JobTypeDisplay("Contact deletion", [new(Stage, "Deleting contacts…")])
        {
            Items = "contacts",
            Metrics = [new("deleted", "Deleted"), new("not_found", "Not found")],
        }).AsDestructive();

    public JobTypeDefinition Definition => JobType;

    public async Task<JsonElement> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = context.GetPayload<ContactDeletePayload>();
        var workspaceId = context.Job.WorkspaceId;
        var contactIds = payload.ContactIds.Distinct().ToList();
        var outcome = await ContactBatches.RunAsync(context, reader, contactIds, BatchSize, "deletes", Stage,
            $"deleting {contactIds.Count} contacts", "deleted",
            (batch, ct) => writer.ContactDeleteManyAsync(context.Job.Lease, workspaceId, batch, ct), cancellationToken);

        return JsonSerializer.SerializeToElement(new ContactDeleteResult(outcome.Total, outcome.Applied, outcome.NotFound), JsonSerializerOptions.Web);
    }
}
