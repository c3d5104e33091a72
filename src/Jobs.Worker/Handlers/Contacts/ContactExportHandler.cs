using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Files;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// <c>contacts.export</c>: writes the workspace's contacts (filtered, in email order) as CSV into a file stored with
/// the job (<see cref="FileName"/>, downloadable from <c>GET /api/jobs/{id}/files/contacts.csv</c>). Streamed end to
/// end: pages of <see cref="PageSize"/> contacts are read by keyset from one snapshot and written through CsvHelper
/// into the file's content in chunks, so memory stays flat however many contacts there are. Progress is rows written
/// out of the count taken first.
/// <para>
/// At-least-once: the file and its content commit together at the end, fenced by the lease; a rerun writes the file
/// again and replaces the earlier attempt's, so a crash leaves no partial file behind.
/// </para>
/// </summary>
public sealed class ContactExportHandler(ContactReader reader, IFileStore files, ILogger<ContactExportHandler> logger) : IJobHandler
{
    public const string TypeName = "contacts.export";
    public const string Stage = "exporting";
    public const string FileName = "contacts.csv";
    public const int PageSize = 1000;

    /// <summary>The catalog entry, static so that hosts without the handler's services (test clusters) can publish it.</summary>
    public static JobTypeDefinition JobType { get; } = new JobTypeDefinition(
        TypeName,
        "Exports the workspace's contacts (optionally filtered) as a CSV file stored with the job.",
        "default",
        new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["properties"] = new JsonObject
            {
                ["filters"] = new JsonObject
                {
                    ["type"] = "object",
                    ["additionalProperties"] = false,
                    ["description"] = "Which contacts to export; every filter is optional, and they combine.",
                    ["properties"] = new JsonObject
                    {
                        ["tag"] = new JsonObject
                        {
                            ["type"] = "string", ["minLength"] = 1, ["maxLength"] = ContactTags.MaxLength, ["pattern"] = "\\S", [SchemaKeywords.PatternMessage] = ContactSchemas.NotBlankMessage,
                            ["description"] = "Only contacts with this tag.",
                        },
                        ["optedOut"] = new JsonObject { ["type"] = "boolean", ["description"] = "Only contacts that opted out (true) or did not (false)." },
                        ["doNotContact"] = new JsonObject { ["type"] = "boolean", ["description"] = "Only contacts marked do-not-contact (true) or not (false)." },
                        ["search"] = new JsonObject
                        {
                            ["type"] = "string", ["minLength"] = 1, ["maxLength"] = 100,
                            ["description"] = "Only contacts whose email, name or company contains this text (any case).",
                        },
                    },
                },
            },
        },
        MaxAttempts: 3,
        TimeoutSeconds: 3600).AsBulk().WithDisplay(new JobTypeDisplay("Contact export", [new(Stage, "Exporting contacts…") { During = "the export" }])
    {
        Items = "contacts",
        Metrics = [new("rows", "Contacts exported"), new("bytes", "File size (bytes)")],
    });

    public JobTypeDefinition Definition => JobType;

    public async Task<JsonElement> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var filters = context.GetPayload<ContactExportPayload>().Filters ?? new ContactExportFilters();
        await using var snapshot = await reader.ExportSnapshotOpenAsync(context.Job.WorkspaceId, filters, cancellationToken);
        var total = await snapshot.CountAsync(cancellationToken);
        await context.ReportAsync(percent: 0, stage: Stage, processedItems: 0, totalItems: total, message: $"exporting {total} contacts");

        await using var content = await files.ContentCreateAsync(cancellationToken);
        long rows = 0;
        await using (var csv = CsvWriter.Create(content, ContactsCsv.Options, leaveOpen: true))
        {
            ContactsCsv.WriteHeader(csv);
            string? after = null;
            while (true)
            {
                var page = await snapshot.PageAsync(after, PageSize, cancellationToken);
                foreach (var contact in page)
                {
                    ContactsCsv.Write(csv, contact);
                    await csv.EndRecordAsync(cancellationToken);
                }

                rows += page.Count;
                // The count and the pages come from one snapshot, so rows never passes total; 100 % waits for the commit.
                await context.ReportAsync(percent: total == 0 ? 99 : (int)Math.Min(99, rows * 100 / total), processedItems: rows);
                if (page.Count < PageSize)
                {
                    break;
                }

                after = page[^1].Email;
            }

            await csv.FlushAsync(cancellationToken);
        }

        // Checkpoint: the file appears whole or not at all; a crash before this commit leaves nothing, and the rerun
        // writes it again.
        var file = await files.JobFileUpsertIfRunningAsync(content, new JobFileUpsertParams(context.Job.Lease, context.Job.WorkspaceId, FileName, ContactsCsv.ContentType), cancellationToken)
            ?? throw FencedTransaction.LeaseLost(context.Job.Id);
        context.SetMetric("rows", rows);
        context.SetMetric("bytes", file.Size);
        await context.ReportAsync(percent: 100, processedItems: rows, totalItems: rows, message: $"{FileName}: {rows} contacts, {file.Size} bytes");
        logger.LogInformation("Job {JobId}: exported {Rows} contacts ({Bytes} bytes)", context.Job.Id, rows, file.Size);

        return JsonSerializer.SerializeToElement(
            new ContactExportResult(FileName, rows, file.Size, ContactsCsv.ContentType, $"/api/jobs/{context.Job.Id}/files/{FileName}"),
            JsonSerializerOptions.Web);
    }
}
