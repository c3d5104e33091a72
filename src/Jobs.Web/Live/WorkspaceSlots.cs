using Jobs.Client;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Workspaces;
using Jobs.Web.Api;

namespace Jobs.Web.Live;

/// <summary>
/// A page's view of its workspace's running slots (<c>GET /api/workspace</c>: usage and limits), so that a due
/// pending job can show that it waits for a slot rather than for a worker. Kept cheap: re-read only when a job
/// starts or leaves processing (not on progress), at most once per <c>minInterval</c>, and on the resync timer for
/// updates that were missed.
/// </summary>
public sealed class WorkspaceSlots(JobsClient api, Func<Func<Task>, Task> dispatch, Action changed, TimeSpan minInterval) : IDisposable
{
    private readonly Lock _lock = new();
    private readonly HashSet<Guid> _processing = [];
    private LiveSync? _live;
    private bool _scheduled;
    private bool _disposed;
    private DateTimeOffset _lastRead = DateTimeOffset.MinValue;

    /// <summary>The last read; null until one succeeds (the page then shows no slot hints at all).</summary>
    public WorkspaceResponse? Workspace { get; private set; }

    /// <summary>Reads once (call it from the component's dispatcher), then follows the workspace's updates.</summary>
    public async Task StartAsync(JobUpdateFeed feed, Guid workspaceId, TimeSpan resyncInterval)
    {
        // Taken in where they arrive (Redis's thread, the timer's): only the read hops onto the page's dispatcher.
        _live = new LiveSync(feed, work => work());
        _live.Follow(workspaceId, update =>
        {
            Observe(update);
            return Task.CompletedTask;
        });
        _live.ResyncEvery(resyncInterval, () =>
        {
            Request();
            return Task.CompletedTask;
        });
        await ReadAsync();
    }

    /// <summary>Due and pending while every slot of the workspace is taken. A job whose run time is ahead is scheduled, not waiting.</summary>
    public bool IsWaitingForSlot(JobResponse job) =>
        job.Status == JobStatus.Pending && job.RunAt <= DateTimeOffset.UtcNow && Workspace is { AtConcurrencyLimit: true };

    // Runs on Redis's thread. A progress update of a job already known to run changes no count.
    private void Observe(JobUpdate update)
    {
        lock (_lock)
        {
            if (update.Status == JobStatus.Processing)
            {
                if (!_processing.Add(update.JobId))
                {
                    return;
                }
            }
            else
            {
                _processing.Remove(update.JobId);
            }
        }

        Request();
    }

    // Coalesces: however many starts and finishes arrive, one read per interval.
    private void Request()
    {
        TimeSpan wait;
        lock (_lock)
        {
            if (_scheduled || _disposed)
            {
                return;
            }

            _scheduled = true;
            wait = minInterval - (DateTimeOffset.UtcNow - _lastRead);
        }

        _ = ReadLaterAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
    }

    private async Task ReadLaterAsync(TimeSpan wait)
    {
        try
        {
            await Task.Delay(wait);
            await dispatch(async () =>
            {
                await ReadAsync();
                changed();
            });
        }
        catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The page (or its circuit) went away meanwhile.
        }
    }

    private async Task ReadAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _scheduled = false;
            _lastRead = DateTimeOffset.UtcNow;
        }

        try
        {
            Workspace = await api.GetWorkspaceAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or JobsApiException or SessionExpiredException or Polly.Timeout.TimeoutRejectedException)
        {
            // A hint, not the page's content: it keeps its last value and the next change or tick tries again.
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
        }

        _live?.Dispose();
    }
}
