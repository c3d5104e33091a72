using System.Threading.Channels;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Events;

namespace Jobs.Api.Live;

/// <summary>
/// One in-process subscriber to a job's updates (an SSE stream), fed by <see cref="JobUpdateDispatcher"/>. The buffer
/// is bounded so that a slow client costs memory for a few updates, never more, and <see cref="Offer"/> never waits,
/// so a slow client cannot hold up the dispatcher or the other clients.
/// </summary>
/// <remarks>
/// Every update is a full snapshot of the job, so dropping one loses no state as long as a later one is delivered.
/// When the buffer is full the oldest progress-only update goes first; updates that change the status stay, and a
/// final status (completed, failed, cancelled) is never dropped, because it is the last update a stream sends.
/// </remarks>
public sealed class JobUpdateListener : IDisposable
{
    public const int DefaultCapacity = 64;

    private readonly Lock gate = new();
    private readonly List<(JobUpdate Update, bool StatusChange)> buffer = [];
    // A wake-up flag rather than the queue itself: capacity 1 with DropWrite makes it an auto-reset event that Offer
    // can set without ever waiting.
    private readonly Channel<bool> signal = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Action<JobUpdateListener>? unregister;
    private readonly int capacity;
    private string? lastStatus;
    private bool completed;

    public JobUpdateListener(Guid jobId, Guid workspaceId, Action<JobUpdateListener>? unregister = null, int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        JobId = jobId;
        WorkspaceId = workspaceId;
        this.unregister = unregister;
        this.capacity = capacity;
    }

    public Guid JobId { get; }

    public Guid WorkspaceId { get; }

    /// <summary>Updates dropped because the reader fell behind (all of them superseded by a later snapshot).</summary>
    public long Dropped { get; private set; }

    /// <summary>Buffers an update without waiting; drops an older one if the buffer is full.</summary>
    public void Offer(JobUpdate update)
    {
        lock (gate)
        {
            if (completed)
            {
                return;
            }

            var statusChange = update.Status != lastStatus;
            lastStatus = update.Status;
            if (buffer.Count >= capacity)
            {
                buffer.RemoveAt(IndexToDrop());
                Dropped++;
            }

            buffer.Add((update, statusChange));
        }

        signal.Writer.TryWrite(true);
    }

    public bool TryRead(out JobUpdate update)
    {
        lock (gate)
        {
            if (buffer.Count == 0)
            {
                update = null!;
                return false;
            }

            update = buffer[0].Update;
            buffer.RemoveAt(0);
            return true;
        }
    }

    /// <summary>True when an update can be read; false once the listener is completed and drained.</summary>
    public async ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (gate)
            {
                if (buffer.Count > 0)
                {
                    return true;
                }

                if (completed)
                {
                    return false;
                }
            }

            // Offer adds to the buffer before it sets the flag, so an update that arrives after the check above
            // leaves the flag set and this wait returns at once.
            if (!await signal.Reader.WaitToReadAsync(cancellationToken))
            {
                continue;
            }

            signal.Reader.TryRead(out _);
        }
    }

    /// <summary>No more updates will come (the host is stopping); readers drain what is buffered, then stop.</summary>
    public void Complete()
    {
        lock (gate)
        {
            completed = true;
        }

        signal.Writer.TryComplete();
    }

    public void Dispose()
    {
        Complete();
        unregister?.Invoke(this);
    }

    private int IndexToDrop()
    {
        // Oldest progress-only update first; then the oldest non-final status change; the oldest of all only when the
        // buffer holds nothing but final statuses (a job retried over and over while its reader stood still).
        var index = buffer.FindIndex(b => !b.StatusChange);
        if (index < 0)
        {
            index = buffer.FindIndex(b => !JobStatus.IsFinal(b.Update.Status));
        }

        return Math.Max(index, 0);
    }
}
