using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog.Declarations;
using Jobs.Worker.Processing;
using Npgsql;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// <c>contacts.subscribe</c> (docs/design.md, "Workloads"): enrolls contacts in a sequence in batches of the
/// workspace's <c>subscribe_batch_size</c>, pausing <c>subscribe_batch_pause_ms</c> between batches, as the downstream
/// providers' rate limits want. Each contact succeeds, is blocked (<see cref="BlockReasons"/>) or fails with the
/// database's error; processed/total and the counts (metrics succeeded, blocked, failed) are reported after every
/// batch.
/// <para>
/// At-least-once: each batch commits on its own, fenced by the lease; a rerun goes through every contact again, and
/// the enrollment's primary key and its job id make it enroll nobody twice and report the earlier attempt's
/// enrollments as succeeded. An unknown sequence fails the job at once.
/// </para>
/// </summary>
[JobType(TypeName, Title = "Sequence subscription", Items = "contacts", Bulk = true, MaxAttempts = 3, TimeoutSeconds = 3600,
    Description = "Subscribes contacts to a sequence in batches, pausing between batches; reports each contact as succeeded, blocked (already enrolled, opted out, do not contact, not found) or failed.")]
[JobStage(Stage, "Subscribing contacts to sequence…", During = "subscription")]
[JobMetric("succeeded", "Subscribed")]
[JobMetric("blocked", "Skipped")]
[JobMetric("failed", "Failed")]
[JobMetric("batches", "Batches")]
[JobMetric("batch_size", "Batch size")]
public sealed class ContactSubscribeHandler(ContactReader reader, ContactWriter writer, TimeProvider time, ILogger<ContactSubscribeHandler> logger)
    : JobHandler<ContactSubscribePayload, ContactSubscribeResult>
{
    public const string TypeName = "contacts.subscribe";
    public const string Stage = "subscribing";

    protected override async Task<ContactSubscribeResult> HandleAsync(JobContext context, ContactSubscribePayload payload, CancellationToken cancellationToken)
    {
        var workspaceId = context.Job.WorkspaceId;
        var contactIds = payload.ContactIds.Distinct().ToList();
        var settings = await reader.SettingsGetAsync(workspaceId, cancellationToken);
        if (contactIds.Count > settings.MaxBatchItems)
        {
            throw new NonRetryableJobException($"This workspace subscribes at most {settings.MaxBatchItems} contacts per job; the payload has {contactIds.Count}.");
        }

        var sequenceName = await reader.SequenceNameGetAsync(workspaceId, payload.SequenceId, cancellationToken)
            ?? throw new NonRetryableJobException($"Sequence {payload.SequenceId} does not exist in this workspace.");

        var batches = contactIds.Chunk(settings.SubscribeBatchSize).ToList();
        context.SetMetric("batch_size", settings.SubscribeBatchSize);
        await context.ReportAsync(percent: 0, stage: Stage, processedItems: 0, totalItems: contactIds.Count,
            message: $"subscribing {contactIds.Count} contacts to {sequenceName} in {batches.Count} batches of up to {settings.SubscribeBatchSize}");

        var outcomes = new List<ContactOutcome>(contactIds.Count);
        for (var i = 0; i < batches.Count; i++)
        {
            if (i > 0 && settings.SubscribeBatchPause > TimeSpan.Zero)
            {
                await Task.Delay(settings.SubscribeBatchPause, time, cancellationToken);
            }

            var batch = await EnrollBatchAsync(context.Job.Lease, workspaceId, payload.SequenceId, batches[i], cancellationToken);
            outcomes.AddRange(batch);
            var (succeeded, blocked, failed) = (Count(outcomes, ContactOutcome.Succeeded), Count(outcomes, ContactOutcome.Blocked), Count(outcomes, ContactOutcome.Failed));
            context.SetMetric("succeeded", succeeded);
            context.SetMetric("blocked", blocked);
            context.SetMetric("failed", failed);
            context.SetMetric("batches", i + 1);
            await context.ReportAsync(
                percent: (int)(outcomes.Count * 100L / contactIds.Count),
                processedItems: outcomes.Count,
                message: $"batch {i + 1} of {batches.Count}: {Count(batch, ContactOutcome.Succeeded)} subscribed, {Count(batch, ContactOutcome.Blocked)} blocked, {Count(batch, ContactOutcome.Failed)} failed");
        }

        logger.LogInformation("Job {JobId}: {Succeeded} of {Total} contacts subscribed to sequence {SequenceId}",
            context.Job.Id, Count(outcomes, ContactOutcome.Succeeded), contactIds.Count, payload.SequenceId);
        return new ContactSubscribeResult(
            payload.SequenceId,
            sequenceName,
            contactIds.Count,
            settings.SubscribeBatchSize,
            outcomes.Where(o => o.Status == ContactOutcome.Succeeded).Select(o => o.ContactId).ToList(),
            outcomes.Where(o => o.Status == ContactOutcome.Blocked).Select(o => new BlockedContact(o.ContactId, o.Detail!)).ToList(),
            outcomes.Where(o => o.Status == ContactOutcome.Failed).Select(o => new FailedContact(o.ContactId, o.Detail!)).ToList());
    }

    /// <summary>
    /// One batch in one transaction. When the database rejects it (a constraint, a trigger, bad data: not a dropped
    /// connection, which fails the attempt for a retry), the batch is redone one contact at a time, so that only the
    /// contacts the database rejects fail, each with its error.
    /// </summary>
    private async Task<IReadOnlyList<ContactOutcome>> EnrollBatchAsync(JobLease lease, Guid workspaceId, Guid sequenceId, Guid[] batch, CancellationToken cancellationToken)
    {
        try
        {
            return await writer.EnrollmentInsertManyAsync(lease, workspaceId, sequenceId, batch, cancellationToken)
                ?? throw FencedTransaction.LeaseLost(lease.JobId);
        }
        catch (PostgresException e) when (!e.IsTransient)
        {
            if (batch.Length == 1)
            {
                return [ContactOutcome.Failure(batch[0], $"{e.SqlState}: {e.MessageText}")];
            }

            logger.LogWarning("Job {JobId}: a batch of {Count} enrollments was rejected ({SqlState}: {Message}); enrolling them one by one",
                lease.JobId, batch.Length, e.SqlState, e.MessageText);
            var outcomes = new List<ContactOutcome>(batch.Length);
            foreach (var contactId in batch)
            {
                outcomes.AddRange(await EnrollBatchAsync(lease, workspaceId, sequenceId, [contactId], cancellationToken));
            }

            return outcomes;
        }
    }

    private static int Count(IEnumerable<ContactOutcome> outcomes, string status) => outcomes.Count(o => o.Status == status);
}
