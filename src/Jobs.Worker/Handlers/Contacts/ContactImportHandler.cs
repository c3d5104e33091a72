using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog.Declarations;
using Jobs.Core.Files;
using Jobs.Core.Workloads.Contacts;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// <c>contacts.import</c>: reads a CSV uploaded with <c>POST /api/uploads</c> as it streams from storage
/// (<see cref="ContactCsvReader"/>), upserts its valid rows by email <see cref="BatchSize"/> at a time, and reports
/// each invalid row with its line number and reason. Progress is the share of the file read.
/// <para>
/// At-least-once: each batch commits on its own, fenced by the lease, and upserts by email, so a rerun after a crash
/// creates no duplicate; a contact created by an earlier attempt of the same job still counts as imported. An upload
/// the workspace does not have, or a file without an email column, fails the job at once.
/// </para>
/// </summary>
[JobType(TypeName, Title = "Contact import", Items = "rows", Bulk = true, MaxAttempts = 3, TimeoutSeconds = 3600,
    Description = "Imports contacts from an uploaded CSV (columns email, first_name, last_name, company, phone, opted_out, do_not_contact; a header row is required), creating or updating them by email and reporting each invalid row.")]
[JobStage(Stage, "Importing contacts…", During = "the import")]
[JobMetric("rows", "Rows read")]
[JobMetric("imported", "Imported")]
[JobMetric("updated", "Updated")]
[JobMetric("invalid", "Invalid rows")]
public sealed class ContactImportHandler(IFileStore files, ContactWriter writer, ILogger<ContactImportHandler> logger)
    : JobHandler<ContactImportPayload, ContactImportResult>
{
    public const string TypeName = "contacts.import";
    public const string Stage = "importing";
    public const int BatchSize = 500;

    /// <summary>Invalid rows listed in the result; beyond that they are only counted.</summary>
    public const int MaxInvalidListed = 1000;

    protected override async Task<ContactImportResult> HandleAsync(JobContext context, ContactImportPayload payload, CancellationToken cancellationToken)
    {
        var (upload, content) = await files.UploadOpenReadAsync(context.Job.WorkspaceId, payload.UploadId, cancellationToken)
            ?? throw new NonRetryableJobException($"Upload {payload.UploadId} does not exist in this workspace.");
        await using var contentScope = content;
        await context.ReportAsync(percent: 0, stage: Stage, processedItems: 0, message: $"reading {upload.Name} ({upload.Size} bytes)");
        await using var csv = await ContactCsvReader.OpenAsync(content, cancellationToken);

        var batch = new List<ContactImportRow>(BatchSize);
        var invalid = new List<InvalidImportRow>();
        long rows = 0;
        int imported = 0, updated = 0, invalidCount = 0;

        async Task WriteBatchAsync()
        {
            if (batch.Count == 0)
            {
                return;
            }

            var (created, changed) = await writer.ContactUpsertManyAsync(context.Job.Lease, context.Job.WorkspaceId, batch, cancellationToken)
                ?? throw FencedTransaction.LeaseLost(context.Job.Id);
            imported += created;
            updated += changed;
            batch.Clear();
            context.SetMetric("rows", rows);
            context.SetMetric("imported", imported);
            context.SetMetric("updated", updated);
            context.SetMetric("invalid", invalidCount);
            var read = upload.Size == 0 ? 99 : (int)Math.Min(99, csv.BytesRead * 100 / upload.Size);
            await context.ReportAsync(percent: read, processedItems: rows);
        }

        while (await csv.ReadAsync(cancellationToken))
        {
            rows++;
            if (csv.CurrentInvalid is { } bad)
            {
                invalidCount++;
                if (invalid.Count < MaxInvalidListed)
                {
                    invalid.Add(bad);
                }
            }
            else
            {
                batch.Add(csv.Current!);
                if (batch.Count == BatchSize)
                {
                    await WriteBatchAsync();
                }
            }
        }

        await WriteBatchAsync();
        context.SetMetric("rows", rows);
        context.SetMetric("invalid", invalidCount);
        context.SetMetric("imported", imported);
        context.SetMetric("updated", updated);
        await context.ReportAsync(percent: 100, processedItems: rows, totalItems: rows,
            message: $"{imported} imported, {updated} updated, {invalidCount} invalid of {rows} rows");
        logger.LogInformation("Job {JobId}: {Rows} rows of upload {UploadId}: {Imported} imported, {Updated} updated, {Invalid} invalid",
            context.Job.Id, rows, upload.Id, imported, updated, invalidCount);

        return new ContactImportResult(upload.Id, upload.Name, rows, imported, updated, invalidCount, invalid, invalidCount > invalid.Count, csv.IgnoredColumns);
    }
}
