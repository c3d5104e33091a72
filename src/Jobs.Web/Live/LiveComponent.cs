using Jobs.Contracts.Jobs;
using Jobs.Web.Auth;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Jobs.Web.Live;

/// <summary>
/// A component that stays current while it is on screen (docs/design.md, "Live updates"): it follows the signed-in
/// user's workspace and re-reads on a timer through one <see cref="LiveSync"/> on its own dispatcher, and lets go of
/// both when it goes. What an update or a re-read changes is the component's own.
/// </summary>
public abstract class LiveComponent : ComponentBase, IDisposable
{
    private LiveSync? _live;

    [Inject]
    protected JobUpdateFeed Feed { get; private set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>Whether the component follows a workspace's updates (the user is signed in to one).</summary>
    protected bool IsFollowing => _live?.IsFollowing == true;

    private LiveSync Live => _live ??= new LiveSync(Feed, InvokeAsync);

    /// <summary>The signed-in user's workspace; null when there is none.</summary>
    protected async Task<Guid?> WorkspaceIdAsync() => SessionClaims.WorkspaceIdOf((await AuthenticationState).User);

    /// <summary>Hands <paramref name="onUpdate"/> every update of the workspace, on this component's dispatcher.</summary>
    protected void Follow(Guid workspaceId, Func<JobUpdate, Task> onUpdate) => Live.Follow(workspaceId, onUpdate);

    /// <summary>Follows the signed-in user's workspace, if any (see <see cref="Follow"/>).</summary>
    /// <returns>The workspace followed; null when the user has none.</returns>
    protected async Task<Guid?> FollowWorkspaceAsync(Func<JobUpdate, Task> onUpdate)
    {
        if (await WorkspaceIdAsync() is { } workspaceId)
        {
            Follow(workspaceId, onUpdate);
            return workspaceId;
        }

        return null;
    }

    /// <inheritdoc cref="FollowWorkspaceAsync(Func{JobUpdate, Task})"/>
    protected Task<Guid?> FollowWorkspaceAsync(Action<JobUpdate> onUpdate) => FollowWorkspaceAsync(update =>
    {
        onUpdate(update);
        return Task.CompletedTask;
    });

    /// <summary>Re-reads on a timer, on this component's dispatcher; a transient failure waits for the next tick.</summary>
    /// <param name="firstAfter">The first re-read; by default one interval after the start.</param>
    protected void ResyncEvery(TimeSpan interval, Func<Task> resync, TimeSpan? firstAfter = null) => Live.ResyncEvery(interval, resync, firstAfter);

    public void Dispose()
    {
        _live?.Dispose();
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Lets go of what the component holds besides its live updates and re-reads (those stop already).</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
