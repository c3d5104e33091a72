namespace Jobs.Bench;

/// <summary>One live connection of the <c>subscribers</c> run: whether it opened, what it received, how it ended.</summary>
internal abstract class Subscriber(Guid jobId)
{
    private long _events;
    private volatile string? _error;

    public Guid JobId { get; } = jobId;

    /// <summary>Messages received so far (SSE <c>data:</c> lines, SignalR <c>jobUpdated</c> calls), the first snapshot included.</summary>
    public long Events => Interlocked.Read(ref _events);

    public bool Connected { get; protected set; }

    /// <summary>Why it failed to open or closed before the run closed it; null while all is well.</summary>
    public string? Error => _error;

    /// <summary>It ended because its job reached a final status (an SSE stream does): not an error, but it no longer listens.</summary>
    public bool JobFinished { get; protected set; }

    public abstract string Kind { get; }

    public abstract Task OpenAsync(CancellationToken ct);

    public abstract Task CloseAsync();

    protected void Received() => Interlocked.Increment(ref _events);

    protected void Fail(string error) => _error ??= error;
}
