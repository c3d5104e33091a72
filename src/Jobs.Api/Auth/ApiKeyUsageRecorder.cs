using System.Collections.Concurrent;
using Jobs.Core.Identity;

namespace Jobs.Api.Auth;

/// <summary>
/// Keeps <c>api_keys.last_used_at</c> current to the minute without a write per request: each instance writes a key's
/// row at most once a minute, and the write itself is conditional, so many instances together still write it about
/// once a minute. Writes are started, not awaited, and never fail the request they came with.
/// </summary>
public sealed class ApiKeyUsageRecorder(IWorkspaceStore workspaces, TimeProvider time, IHostApplicationLifetime lifetime, ILogger<ApiKeyUsageRecorder> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private const int PruneAbove = 10_000;

    private readonly ConcurrentDictionary<Guid, long> lastWritten = new();

    public void Record(Guid keyId)
    {
        var now = time.GetTimestamp();
        if (lastWritten.TryGetValue(keyId, out var last) && time.GetElapsedTime(last, now) < Interval)
        {
            return;
        }

        lastWritten[keyId] = now;
        if (lastWritten.Count > PruneAbove)
        {
            Prune(now);
        }

        _ = WriteAsync(keyId);
    }

    private async Task WriteAsync(Guid keyId)
    {
        try
        {
            await workspaces.ApiKeyTouchAsync(keyId, lifetime.ApplicationStopping);
        }
        catch (Exception ex)
        {
            // Only a timestamp is lost; the next use after a minute writes it.
            lastWritten.TryRemove(keyId, out _);
            logger.LogDebug(ex, "Could not record the use of API key {KeyId}", keyId);
        }
    }

    // Session keys come and go: forget keys not written within the interval so the map stays small.
    private void Prune(long now)
    {
        foreach (var (keyId, last) in lastWritten)
        {
            if (time.GetElapsedTime(last, now) >= Interval)
            {
                lastWritten.TryRemove(keyId, out _);
            }
        }
    }
}
