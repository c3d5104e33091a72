using Jobs.Core.Engine.Storage;

namespace Jobs.Core.Engine.Catalog;

/// <summary>
/// The job types the running workers have published, read from <c>job_types</c> and cached briefly. A name that is
/// not cached triggers a re-read (at most once a second), so a type a new worker brings is accepted at once.
/// </summary>
public sealed class JobTypeCatalog(IClusterStore store, TimeProvider timeProvider)
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim refreshLock = new(1, 1);
    private volatile Snapshot snapshot = new(new Dictionary<string, JobTypeDefinition>(), DateTimeOffset.MinValue);

    public async Task<IReadOnlyList<JobTypeDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        var current = await GetAsync(forceIfOlderThan: MaxAge, cancellationToken);
        return current.Types.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<JobTypeDefinition?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var current = await GetAsync(MaxAge, cancellationToken);
        if (current.Types.TryGetValue(name, out var definition))
        {
            return definition;
        }

        current = await GetAsync(MinRefreshInterval, cancellationToken);
        return current.Types.GetValueOrDefault(name);
    }

    private async Task<Snapshot> GetAsync(TimeSpan forceIfOlderThan, CancellationToken cancellationToken)
    {
        var current = snapshot;
        if (timeProvider.GetUtcNow() - current.ReadAt < forceIfOlderThan)
        {
            return current;
        }

        await refreshLock.WaitAsync(cancellationToken);
        try
        {
            current = snapshot;
            if (timeProvider.GetUtcNow() - current.ReadAt < forceIfOlderThan)
            {
                return current;
            }

            var types = await store.JobTypeListAsync(cancellationToken);
            snapshot = current = new Snapshot(types.ToDictionary(t => t.Name, StringComparer.Ordinal), timeProvider.GetUtcNow());
            return current;
        }
        finally
        {
            refreshLock.Release();
        }
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, JobTypeDefinition> Types, DateTimeOffset ReadAt);
}
