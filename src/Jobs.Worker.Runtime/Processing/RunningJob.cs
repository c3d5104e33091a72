using Jobs.Core.Engine;

namespace Jobs.Worker.Processing;

/// <summary>One attempt in progress on this worker: its lease, the entries to acknowledge, and how to stop it.</summary>
internal sealed class RunningJob(Job job, IReadOnlyList<string> entryIds, DateTimeOffset claimedAt, Action? slotFreed = null) : IDisposable
{
    private readonly CancellationTokenSource stop = new();
    private int reason = (int)StopReason.None;
    private Action? freeSlot = slotFreed;

    public Job Job { get; } = job;

    public JobLease Lease { get; } = job.Lease;

    public IReadOnlyList<string> EntryIds { get; } = entryIds;

    public CancellationToken Token => stop.Token;

    /// <summary>When the lease was last known to be held; past that plus the lease duration, it may be someone else's.</summary>
    public DateTimeOffset LeaseConfirmedAt { get; set; } = claimedAt;

    public StopReason Reason => (StopReason)Volatile.Read(ref reason);

    /// <summary>Stops the handler. The first reason wins: a job cancelled by its user stays cancelled on shutdown.</summary>
    public void Stop(StopReason why)
    {
        if (Interlocked.CompareExchange(ref reason, (int)why, (int)StopReason.None) == (int)StopReason.None)
        {
            try
            {
                stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The attempt ended meanwhile.
            }
        }
    }

    /// <summary>
    /// Gives the worker's slot back (once): called as soon as the outcome is queued for the group write, so that the
    /// next job can be claimed while this one's outcome is committed; the attempt stays tracked (and heartbeated) until then.
    /// </summary>
    public void FreeSlot() => Interlocked.Exchange(ref freeSlot, null)?.Invoke();

    public void Dispose()
    {
        FreeSlot();
        stop.Dispose();
    }
}
