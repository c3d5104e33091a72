using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Catalog;
using Jobs.Core.Jobs;
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
    public static JobTypeDefinition JobType { get; } = new(
        TypeName,
        "Deletes contacts for good, with their tags and sequence enrollments.",
        "default",
        new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["required"] = new JsonArray("contactIds"),
            ["properties"] = new JsonObject
            {
                ["contactIds"] = ContactSchemas.ContactIds("The contacts to delete, 1 to 1,000."),
            },
        },
        MaxAttempts: 3,
        TimeoutSeconds: 600);

    public JobTypeDefinition Definition => JobType;

    public async Task<JsonElement> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = context.GetPayload<ContactDeletePayload>();
        var workspaceId = context.Job.WorkspaceId;
        var contactIds = payload.ContactIds.Distinct().ToList();
        var settings = await reader.SettingsGetAsync(workspaceId, cancellationToken);
        if (contactIds.Count > settings.MaxBatchItems)
        {
            throw new NonRetryableJobException($"This workspace deletes at most {settings.MaxBatchItems} contacts per job; the payload has {contactIds.Count}.");
        }

        await context.ReportAsync(percent: 0, stage: Stage, processedItems: 0, totalItems: contactIds.Count,
            message: $"deleting {contactIds.Count} contacts");
        var deleted = 0;
        var notFound = new List<Guid>();
        var processed = 0;
        foreach (var batch in contactIds.Chunk(BatchSize))
        {
            var gone = await writer.ContactDeleteManyAsync(context.Job.Lease, workspaceId, batch, cancellationToken)
                ?? throw FencedTransaction.LeaseLost(context.Job.Id);
            var goneSet = gone.ToHashSet();
            deleted += gone.Count;
            notFound.AddRange(batch.Where(id => !goneSet.Contains(id)));
            processed += batch.Length;
            context.SetMetric("deleted", deleted);
            context.SetMetric("not_found", notFound.Count);
            await context.ReportAsync(percent: (int)(processed * 100L / contactIds.Count), processedItems: processed);
        }

        return JsonSerializer.SerializeToElement(new ContactDeleteResult(contactIds.Count, deleted, notFound), JsonSerializerOptions.Web);
    }
}
