using Jobs.Core.Engine;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// The part the bulk contact handlers (<c>contacts.delete</c>, <c>contacts.tag</c>) share: the workspace's per-job
/// limit, then the distinct contact ids a batch per fenced transaction, with processed/total and the metrics after each.
/// </summary>
public static class ContactBatches
{
    /// <summary>
    /// At most 1,000 contacts in one bulk job (a payload's <c>contactIds</c>); a workspace may set fewer
    /// (docs/design.md, "Admission, limits and fairness").
    /// </summary>
    public const int MaxContacts = 1000;

    /// <summary>The outcome of <see cref="RunAsync"/>: how many contacts the batches changed, and the ids the workspace did not have.</summary>
    public sealed record Outcome(int Total, int Applied, IReadOnlyList<Guid> NotFound);

    /// <param name="verb">The workspace limit's verb, as in "This workspace <c>deletes</c> at most ...".</param>
    /// <param name="appliedMetric">The metric that counts the contacts the batches changed.</param>
    /// <param name="applyBatch">Applies one batch in a fenced transaction: the ids it found, or null when the lease is gone.</param>
    public static async Task<Outcome> RunAsync(
        JobContext context, ContactReader reader, IReadOnlyList<Guid> contactIds, int batchSize,
        string verb, string stage, string startMessage, string appliedMetric,
        Func<Guid[], CancellationToken, Task<IReadOnlyList<Guid>?>> applyBatch, CancellationToken cancellationToken)
    {
        var settings = await reader.SettingsGetAsync(context.Job.WorkspaceId, cancellationToken);
        if (contactIds.Count > settings.MaxBatchItems)
        {
            throw new NonRetryableJobException($"This workspace {verb} at most {settings.MaxBatchItems} contacts per job; the payload has {contactIds.Count}.");
        }

        await context.ReportAsync(percent: 0, stage: stage, processedItems: 0, totalItems: contactIds.Count, message: startMessage);
        var applied = 0;
        var notFound = new List<Guid>();
        var processed = 0;
        foreach (var batch in contactIds.Chunk(batchSize))
        {
            var found = await applyBatch(batch, cancellationToken)
                ?? throw FencedTransaction.LeaseLost(context.Job.Id);
            var foundSet = found.ToHashSet();
            applied += found.Count;
            notFound.AddRange(batch.Where(id => !foundSet.Contains(id)));
            processed += batch.Length;
            context.SetMetric(appliedMetric, applied);
            context.SetMetric("not_found", notFound.Count);
            await context.ReportAsync(percent: (int)(processed * 100L / contactIds.Count), processedItems: processed);
        }

        return new Outcome(contactIds.Count, applied, notFound);
    }
}
