using Jobs.Client;
using Jobs.Contracts.Jobs;
using Jobs.Web.Api;
using Polly.Timeout;

namespace Jobs.Web.Live;

/// <summary>
/// How a view stays current (docs/design.md, "Live updates"): it follows its workspace's updates from the
/// <see cref="JobUpdateFeed"/> and re-reads what it shows on a timer, because an update can be missed. Both run through
/// <c>dispatch</c> (a component's <c>InvokeAsync</c>, so that handlers may touch its state and render) and both stop on
/// <see cref="Dispose"/>. Applying an update only when its sequence is newer than what is shown is the handler's part.
/// </summary>
public sealed class LiveSync(JobUpdateFeed feed, Func<Func<Task>, Task> dispatch) : IDisposable
{
    private IDisposable? _subscription;
    private Timer? _resync;

    /// <summary>Whether <see cref="Follow"/> was called: the view has a workspace whose updates it hears.</summary>
    public bool IsFollowing => _subscription is not null;

    /// <summary>
    /// A failure of a re-read that the next update or tick repairs: the API unreachable or slow, its refusal, or the
    /// session gone (the client has sent the browser to sign in already).
    /// </summary>
    public static bool IsTransient(Exception ex) =>
        ex is HttpRequestException or JobsApiException or SessionExpiredException or TimeoutRejectedException;

    /// <summary>
    /// Hands <paramref name="onUpdate"/> every update of the workspace. Follow before the first read: an update that
    /// races the read is then sorted out by its sequence, not lost. A handler's failure is the feed's to log.
    /// </summary>
    public void Follow(Guid workspaceId, Func<JobUpdate, Task> onUpdate)
    {
        _subscription?.Dispose();
        _subscription = feed.Subscribe(workspaceId, update => dispatch(() => onUpdate(update)));
    }

    /// <summary>
    /// Calls <paramref name="resync"/> every <paramref name="interval"/>, first after <paramref name="firstAfter"/>
    /// (by default one interval). A transient failure is dropped: the next tick tries again, updates go on meanwhile.
    /// </summary>
    public void ResyncEvery(TimeSpan interval, Func<Task> resync, TimeSpan? firstAfter = null)
    {
        _resync?.Dispose();
        _resync = new Timer(_ => _ = ResyncAsync(resync), null, firstAfter ?? interval, interval);
    }

    private async Task ResyncAsync(Func<Task> resync)
    {
        try
        {
            await dispatch(resync);
        }
        catch (Exception ex) when (IsTransient(ex) || ex is ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // A transient failure, or the view (or its circuit) went away between the tick and its turn.
        }
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _resync?.Dispose();
    }
}
