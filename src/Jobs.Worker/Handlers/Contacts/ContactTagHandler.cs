using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog.Declarations;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// <c>contacts.tag</c>: adds tags to up to 1,000 contacts, <see cref="BatchSize"/> contacts per transaction, with
/// processed/total after each. Idempotent: a tag a contact has already is left as it is, so a rerun changes nothing
/// the first attempt did and reports the same result.
/// </summary>
[JobType(TypeName, Title = "Contact tagging", Items = "contacts", Bulk = true, MaxAttempts = 3, TimeoutSeconds = 600,
    Description = "Adds tags to contacts (tags are case-insensitive); contacts that have a tag already keep it.")]
[JobStage(Stage, "Tagging contacts…")]
[JobMetric("tagged", "Tagged")]
[JobMetric("not_found", "Not found")]
public sealed class ContactTagHandler(ContactReader reader, ContactWriter writer) : JobHandler<ContactTagPayload, ContactTagResult>
{
    public const string TypeName = "contacts.tag";
    public const string Stage = "tagging";
    public const int BatchSize = 200;

    protected override async Task<ContactTagResult> HandleAsync(JobContext context, ContactTagPayload payload, CancellationToken cancellationToken)
    {
        var workspaceId = context.Job.WorkspaceId;
        var contactIds = payload.ContactIds.Distinct().ToList();
        var tags = payload.Tags.Select(ContactTags.Normalize).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        if (tags.Count == 0 || tags.Any(t => t.Length > ContactTags.MaxLength))
        {
            throw new NonRetryableJobException($"Tags must be 1 to {ContactTags.MaxLength} characters, not blank.");
        }

        var outcome = await ContactBatches.RunAsync(context, reader, contactIds, BatchSize, "tags", Stage,
            $"tagging {contactIds.Count} contacts with {string.Join(", ", tags)}", "tagged",
            (batch, ct) => writer.TagInsertManyAsync(context.Job.Lease, workspaceId, batch, tags, ct), cancellationToken);

        return new ContactTagResult(tags, outcome.Total, outcome.Applied, outcome.NotFound);
    }
}
