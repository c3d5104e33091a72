namespace Jobs.Worker.Processing;

/// <summary>
/// This process's name as a lease owner, stream consumer and maintenance candidate. Unique per process start, so a
/// restarted worker never mistakes its predecessor's leases or stream entries for its own.
/// </summary>
public sealed class WorkerIdentity
{
    public string Id { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;
}
