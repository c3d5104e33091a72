namespace Jobs.Core.Engine;

/// <summary>
/// Identifies one attempt of one job held by one worker. Every write of an attempt is conditional on all three, so
/// a worker that lost its lease, or a stale attempt, changes nothing.
/// </summary>
public readonly record struct JobLease(Guid JobId, string Owner, int Attempt);
