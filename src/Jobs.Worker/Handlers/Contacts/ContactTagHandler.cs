using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// <c>contacts.tag</c>: adds tags to up to 1,000 contacts, <see cref="BatchSize"/> contacts per transaction, with
/// processed/total after each. Idempotent: a tag a contact has already is left as it is, so a rerun changes nothing
/// the first attempt did and reports the same result.
/// </summary>
public sealed class ContactTagHandler(ContactReader reader, ContactWriter writer) : IJobHandler
{
    public const string TypeName = "contacts.tag";
    public const string Stage = "tagging";
    public const int BatchSize = 200;

    /// <summary>The catalog entry, static so that hosts without the handler's services (test clusters) can publish it.</summary>
    public static JobTypeDefinition JobType { get; } = ContactBatches.JobType(
        TypeName,
        "Adds tags to contacts (tags are case-insensitive); contacts that have a tag already keep it.",
        new JsonArray("contactIds", "tags"),
        new JsonObject
        {
            ["contactIds"] = ContactSchemas.ContactIds("The contacts to tag, 1 to 1,000."),
            ["tags"] = new JsonObject
            {
                ["type"] = "array",
                ["minItems"] = 1,
                ["maxItems"] = ContactTags.MaxPerJob,
                ["items"] = new JsonObject
                {
                    ["type"] = "string", ["minLength"] = 1, ["maxLength"] = ContactTags.MaxLength, ["pattern"] = "\\S", [SchemaKeywords.PatternMessage] = ContactSchemas.NotBlankMessage,
                    ["description"] = "A tag; stored trimmed and in lower case.",
                },
                ["description"] = "The tags to add, 1 to 20.",
            },
        }).WithDisplay(new JobTypeDisplay("Contact tagging", [new(Stage, "Tagging contacts…")])
        {
            Items = "contacts",
            Metrics = [new("tagged", "Tagged"), new("not_found", "Not found")],
        });

    public JobTypeDefinition Definition => JobType;

    public async Task<JsonElement> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = context.GetPayload<ContactTagPayload>();
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

        return JsonSerializer.SerializeToElement(new ContactTagResult(tags, outcome.Total, outcome.Applied, outcome.NotFound), JsonSerializerOptions.Web);
    }
}
