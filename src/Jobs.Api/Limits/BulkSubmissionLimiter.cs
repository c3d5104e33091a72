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
/// </summary>
public sealed class BulkSubmissionLimiter(
    RedisRateLimiter limiter, JobTypeCatalog catalog, WorkspaceLimitsCache limits, IJobStore store, TimeProvider time)
{
    /// <summary>A workspace row without the column would be older than the limit; the seeded default.</summary>
    private const int DefaultLimit = 10;

    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    /// <summary>Runs <paramref name="submit"/> when the caller's bulk jobs fit the limit; otherwise says how long to wait.</summary>
    public async Task<BulkSubmitOutcome> SubmitAsync(
        Caller caller,
        IReadOnlyList<JobInsertParams> jobs,
        Func<Task<IReadOnlyList<JobInsertResult>>> submit,
        CancellationToken cancellationToken)
    {
        var counted = await CountedAsync(caller, jobs, cancellationToken);
        if (counted.Count == 0)
        {
            return new BulkSubmitOutcome(await submit(), null, 0, 0);
        }

        var limit = await LimitAsync(caller, cancellationToken);
        var (decision, reservation) = await limiter.TryReserveAsync(Key(caller), limit, Window, counted.Count);
        if (!decision.Allowed)
        {
            return new BulkSubmitOutcome(null, decision, limit, counted.Count);
        }

        IReadOnlyList<JobInsertResult> results;
        try
        {
            results = await submit();
        }
        catch when (reservation is not null)
        {
            await limiter.ReleaseAsync(reservation, reservation.Count);
            throw;
        }

        // Two requests raced with the same key: the one that found the job already there did not create anything.
        if (reservation is not null)
        {
            await limiter.ReleaseAsync(reservation, counted.Count(i => !results[i].Created));
        }

        return new BulkSubmitOutcome(results, null, limit, counted.Count);
    }

    /// <summary>
    /// Runs <paramref name="retry"/> for a job of <paramref name="type"/> when the caller may: a bulk job counts as one
    /// against the caller's bulk jobs per hour, given back when the retry does not apply (the job was not failed or
    /// cancelled). Otherwise says how long to wait, with the limit it was held to.
    /// </summary>
    public async Task<(JobCommandResult? Result, RateDecision? Denied, int Limit)> RetryAsync(
        Caller caller, string type, Func<Task<JobCommandResult>> retry, CancellationToken cancellationToken)
    {
        if ((await catalog.FindAsync(type, cancellationToken))?.Bulk != true)
        {
            return (await retry(), null, 0);
        }

        var limit = await LimitAsync(caller, cancellationToken);
        var (decision, reservation) = await limiter.TryReserveAsync(Key(caller), limit, Window, 1);
        if (!decision.Allowed)
        {
            return (null, decision, limit);
        }

        JobCommandResult result;
        try
        {
            result = await retry();
        }
        catch when (reservation is not null)
        {
            await limiter.ReleaseAsync(reservation, 1);
            throw;
        }

        if (!result.Applied && reservation is not null)
        {
            await limiter.ReleaseAsync(reservation, 1);
        }

        return (result, null, limit);
    }

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

    private async Task<int> LimitAsync(Caller caller, CancellationToken cancellationToken) =>
        (await limits.GetAsync(caller.WorkspaceId, cancellationToken))?.BulkJobsPerHour ?? DefaultLimit;

    private static string Key(Caller caller) => $"bulk:{caller.WorkspaceId}:{caller.UserId}";

    /// <summary>The indexes of the bulk jobs that would be new: not of a replayed idempotency key.</summary>
    private async Task<List<int>> CountedAsync(Caller caller, IReadOnlyList<JobInsertParams> jobs, CancellationToken cancellationToken)
    {
        var bulk = new List<int>();
        for (var i = 0; i < jobs.Count; i++)
        {
            if ((await catalog.FindAsync(jobs[i].Type, cancellationToken))?.Bulk == true)
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

/// <summary>
/// A user's bulk jobs in the sliding hour: the workspace's limit per user, how many of the last hour count, how many
/// more may start now, and when the oldest counted one leaves the hour (null when none counts).
/// </summary>
public sealed record BulkJobAllowance(int Limit, int Used, int Remaining, DateTimeOffset? NextFreeAt);

/// <summary>Either the submission's results, or the decision that refused it, with the limit it was held to and how
/// many of its jobs counted against it.</summary>
public sealed record BulkSubmitOutcome(IReadOnlyList<JobInsertResult>? Results, RateDecision? Denied, int Limit, int Requested);
