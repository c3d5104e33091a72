using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Identity;

namespace Jobs.Api.Limits;

/// <summary>
/// The per-user submission limit (docs/design.md, "Admission, limits and fairness"): each user may submit the
/// workspace's <c>bulk_jobs_per_hour</c> bulk jobs (<see cref="JobTypeDefinition.Bulk"/>) in any sliding hour, counted
/// in Redis across every API instance. A batch counts each of its bulk jobs and is refused whole. A replay (an
/// unexpired idempotency key the workspace used) does not count, nor does a submission that fails. A manual retry of a
/// bulk job runs its whole operation again, so it counts too.
/// <para>
/// This class only counts: it says whether a submission's bulk jobs may go and holds them in the hour
/// (<see cref="BulkReservation"/>); the submitter (<c>JobSubmitter</c>) submits, then gives back what it did not create.
/// </para>
/// </summary>
public sealed class BulkSubmissionLimiter(
    RedisRateLimiter limiter, JobTypeCatalog catalog, WorkspaceLimitsCache limits, IJobStore store, TimeProvider time)
{
    /// <summary>A workspace row without the column would be older than the limit; the seeded default.</summary>
    internal const int DefaultLimit = 10;

    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>
    /// Counts the caller's bulk jobs among <paramref name="jobs"/> against the limit, all of them or none: a refusal says
    /// how long to wait; otherwise the caller submits and gives back what it did not create.
    /// </summary>
    public async Task<BulkReservation> ReserveAsync(Caller caller, IReadOnlyList<JobInsertParams> jobs, CancellationToken cancellationToken) =>
        await ReserveCountedAsync(caller, await CountedAsync(caller, jobs, cancellationToken), cancellationToken);

    /// <summary>
    /// Counts a retry of a job of <paramref name="type"/>: a bulk job counts as one (its whole operation runs again),
    /// which the caller gives back when the retry does not apply.
    /// </summary>
    public async Task<BulkReservation> ReserveRetryAsync(Caller caller, string type, CancellationToken cancellationToken) =>
        await ReserveCountedAsync(caller, await IsBulkAsync(type, cancellationToken) ? [0] : [], cancellationToken);

    /// <summary>
    /// The caller's bulk jobs of the last hour against the limit, counting nothing: what a person sees before starting
    /// one. While Redis does not answer the limit is not enforced, and none count as used.
    /// </summary>
    public async Task<BulkJobAllowance> AllowanceAsync(Caller caller, CancellationToken cancellationToken)
    {
        var limit = await LimitAsync(caller, cancellationToken);
        var now = time.GetUtcNow();
        if (await limiter.SlidingLogReadAsync(Key(caller), Window) is not { } log || log.Count == 0)
        {
            return new BulkJobAllowance(limit, 0, limit, null);
        }

        var used = (int)Math.Min(log.Count, int.MaxValue);
        // Whole seconds, as Retry-After has them: a person reads minutes, a client polls no sooner than this.
        var nextFreeAt = now.AddSeconds(Math.Ceiling(log.OldestLeavesIn.TotalSeconds));
        return new BulkJobAllowance(limit, used, Math.Max(0, limit - used), nextFreeAt);
    }

    private async Task<BulkReservation> ReserveCountedAsync(Caller caller, List<int> counted, CancellationToken cancellationToken)
    {
        if (counted.Count == 0)
        {
            return BulkReservation.None;
        }

        var limit = await LimitAsync(caller, cancellationToken);
        var (decision, held) = await limiter.TryReserveAsync(Key(caller), limit, Window, counted.Count);
        return decision.Allowed
            ? new BulkReservation(counted, limiter: limiter, held: held)
            : new BulkReservation(counted, new BulkRefusal(decision, limit, counted.Count));
    }

    private async Task<bool> IsBulkAsync(string type, CancellationToken cancellationToken) =>
        (await catalog.FindAsync(type, cancellationToken))?.Bulk == true;

    private async Task<int> LimitAsync(Caller caller, CancellationToken cancellationToken) =>
        (await limits.GetAsync(caller.WorkspaceId, cancellationToken))?.BulkJobsPerHour ?? DefaultLimit;

    private static string Key(Caller caller) => $"bulk:{caller.WorkspaceId}:{caller.UserId}";

    /// <summary>The indexes of the bulk jobs that would be new: not of a replayed idempotency key.</summary>
    private async Task<List<int>> CountedAsync(Caller caller, IReadOnlyList<JobInsertParams> jobs, CancellationToken cancellationToken)
    {
        var bulk = new List<int>();
        for (var i = 0; i < jobs.Count; i++)
        {
            if (await IsBulkAsync(jobs[i].Type, cancellationToken))
            {
                bulk.Add(i);
            }
        }

        var keys = bulk.Select(i => jobs[i].IdempotencyKey).OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (keys.Length == 0)
        {
            return bulk;
        }

        var used = await store.IdempotencyKeyUsedListAsync(caller.WorkspaceId, keys, cancellationToken);
        return bulk.Where(i => jobs[i].IdempotencyKey is not { } key || !used.Contains(key)).ToList();
    }
}
