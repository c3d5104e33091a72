using CsvHelper;
using Jobs.Core.Engine.Catalog.Declarations;
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
[JobType(TypeName, Title = "Contact export", Items = "contacts", Bulk = true, MaxAttempts = 3, TimeoutSeconds = 3600,
    Description = "Exports the workspace's contacts (optionally filtered) as a CSV file stored with the job.")]
[JobStage(Stage, "Exporting contacts…", During = "the export")]
[JobMetric("rows", "Contacts exported")]
[JobMetric("bytes", "File size (bytes)")]
public sealed class ContactExportHandler(ContactReader reader, IFileStore files, ILogger<ContactExportHandler> logger)
    : JobHandler<ContactExportPayload, ContactExportResult>
{
    public const string TypeName = "contacts.export";
    public const string Stage = "exporting";
    public const string FileName = "contacts.csv";
    public const int PageSize = 1000;

    protected override async Task<ContactExportResult> HandleAsync(JobContext context, ContactExportPayload payload, CancellationToken cancellationToken)
    {
        var filters = payload.Filters ?? new ContactExportFilters();
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

        return new ContactExportResult(FileName, rows, file.Size, ContactsCsv.ContentType, $"/api/jobs/{context.Job.Id}/files/{FileName}");
    }
}
