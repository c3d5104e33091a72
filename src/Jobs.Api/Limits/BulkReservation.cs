namespace Jobs.Api.Limits;

/// <summary>
/// What <see cref="BulkSubmissionLimiter"/> answered for a submission or a retry: either a <see cref="Refusal"/>, or
/// the bulk jobs it counted against the caller's hour. Whoever submits gives back, with <see cref="ReleaseAsync"/>,
/// every counted job it did not create: all of them when the submission fails, a replay that raced another request
/// with its key, a retry that did not apply. A reservation that holds nothing (no bulk job, or Redis did not answer
/// and the limit failed open) gives nothing back.
/// </summary>
/// <param name="counted">The indexes, within the submission, of the jobs that count (a retry's one job is 0).</param>
/// <param name="refusal">Why none of them may go; null when they may.</param>
/// <param name="limiter">Where <paramref name="held"/> is counted.</param>
/// <param name="held">The counted items in Redis; null when nothing is held.</param>
public sealed class BulkReservation(
    IReadOnlyList<int> counted, BulkRefusal? refusal = null, RedisRateLimiter? limiter = null, SlidingReservation? held = null)
{
    /// <summary>Nothing counted, nothing to give back: a submission without bulk jobs.</summary>
    public static BulkReservation None { get; } = new([]);

    /// <summary>The indexes, within the submission, of the jobs that count against the limit.</summary>
    public IReadOnlyList<int> Counted => counted;

    /// <summary>How many jobs count against the limit.</summary>
    public int Count => counted.Count;

    /// <summary>Why the jobs may not go, with how long to wait; null when they may.</summary>
    public BulkRefusal? Refusal => refusal;

    /// <summary>Gives back <paramref name="count"/> of the counted jobs (they were not created after all).</summary>
    public Task ReleaseAsync(int count) =>
        limiter is not null && held is not null ? limiter.ReleaseAsync(held, count) : Task.CompletedTask;
}

/// <summary>A refused submission: the decision, with the limit it was held to and how many of its jobs counted.</summary>
public sealed record BulkRefusal(RateDecision Decision, int Limit, int Requested);
