using Jobs.Core.Identity;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Limits;

/// <summary>
/// A workspace's limits as every request needs them, read from <c>workspaces</c> through a cache of a few seconds
/// (<see cref="ApiOptions.LimitsCacheDuration"/>): an admin's change applies within that time on every instance,
/// without a database read per request.
/// </summary>
public sealed class WorkspaceLimitsCache(IWorkspaceStore store, IMemoryCache cache, IOptions<ApiOptions> options)
{
    public async Task<Workspace?> GetAsync(Guid workspaceId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue((nameof(WorkspaceLimitsCache), workspaceId), out Workspace? cached))
        {
            return cached;
        }

        var workspace = await store.WorkspaceGetAsync(workspaceId, cancellationToken);
        if (workspace is not null && options.Value.LimitsCacheDuration > TimeSpan.Zero)
        {
            cache.Set((nameof(WorkspaceLimitsCache), workspaceId), workspace, options.Value.LimitsCacheDuration);
        }

        return workspace;
    }
}
