using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;

namespace Jobs.Api.Auth;

/// <summary>
/// The long-lived connections made with each API key (SignalR connections, Server-Sent Events streams), ended the
/// moment the key's lookup is evicted on this instance (revoked, signed out, or its user's role changed;
/// <see cref="ApiKeyCache.Evicted"/>), and at the key's expiry (a session's end, which nobody announces). Such a
/// connection authenticates only when it opens, so without this a revoked or expired key would keep hearing its
/// workspace's updates; a client whose key is still valid simply reconnects, with its current role, and one whose key
/// is not gets 401.
/// </summary>
/// <remarks>
/// A connection authenticated just before an eviction but tracked just after it would miss it, so evictions are
/// remembered for a while and <see cref="Track"/> compares them with when the key was checked
/// (<see cref="CheckedAtClaim"/>).
/// </remarks>
public sealed class ApiKeyConnections
{
    /// <summary>The claim <see cref="ApiKeyAuthenticationHandler"/> puts the key's hash in, to find its connections.</summary>
    public const string KeyHashClaim = "jobs:api_key_hash";

    /// <summary>The claim with the <see cref="Stopwatch"/> timestamp taken before the key was looked up.</summary>
    public const string CheckedAtClaim = "jobs:api_key_checked_at";

    /// <summary>The claim with the key's expiry in Unix milliseconds, for a key that expires.</summary>
    public const string ExpiresAtClaim = "jobs:api_key_expires_at";

    private static readonly TimeSpan RememberEvictionsFor = TimeSpan.FromMinutes(1);

    // The longest a timer waits; a connection still open then is ended early and reconnects.
    private static readonly TimeSpan LongestExpiryWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly Lock gate = new();
    private readonly Dictionary<string, Dictionary<long, Action>> byKey = [];
    private readonly Dictionary<string, long> evictedAt = [];
    private readonly TimeProvider time;
    private readonly ILogger<ApiKeyConnections> logger;
    private long lastId;

    public ApiKeyConnections(ApiKeyCache keys, TimeProvider time, ILogger<ApiKeyConnections> logger)
    {
        this.time = time;
        this.logger = logger;
        keys.Evicted += End;
    }

    /// <summary>
    /// The claims that let <see cref="Track"/> find a connection's key, tell when it was checked and when it expires.
    /// </summary>
    /// <param name="keyHash">The key's hash as <see cref="ApiKeyCache.Evicted"/> carries it (<see cref="ApiKeyCache.HashOf"/>).</param>
    public static IEnumerable<Claim> ClaimsOf(string keyHash, long checkedAt, DateTimeOffset? expiresAt)
    {
        yield return new Claim(KeyHashClaim, keyHash);
        yield return new Claim(CheckedAtClaim, checkedAt.ToString(CultureInfo.InvariantCulture));
        if (expiresAt is { } at)
        {
            yield return new Claim(ExpiresAtClaim, at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// Runs <paramref name="end"/> (on the thread pool, once) when the key <paramref name="user"/> authenticated with
    /// is evicted or expires, or at once if it was evicted since it was checked or has expired. Null for a caller
    /// without a key. Dispose the registration when the connection ends.
    /// </summary>
    public IDisposable? Track(ClaimsPrincipal? user, Action end)
    {
        if (user?.FindFirst(KeyHashClaim)?.Value is not { } hash
            || !long.TryParse(user.FindFirst(CheckedAtClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var checkedAt))
        {
            return null;
        }

        TimeSpan? expiresIn = long.TryParse(user.FindFirst(ExpiresAtClaim)?.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var expiresAt)
            ? DateTimeOffset.FromUnixTimeMilliseconds(expiresAt) - time.GetUtcNow()
            : null;
        Registration registration;
        lock (gate)
        {
            if ((evictedAt.TryGetValue(hash, out var at) && at >= checkedAt) || expiresIn <= TimeSpan.Zero)
            {
                Run([end]);
                return null;
            }

            var id = ++lastId;
            if (!byKey.TryGetValue(hash, out var forKey))
            {
                byKey[hash] = forKey = [];
            }

            forKey[id] = end;
            registration = new Registration(this, hash, id);
        }

        if (expiresIn is { } due)
        {
            registration.EndAfter(due < LongestExpiryWait ? due : LongestExpiryWait, end);
        }

        return registration;
    }

    private void Untrack(string hash, long id)
    {
        lock (gate)
        {
            if (byKey.TryGetValue(hash, out var forKey) && forKey.Remove(id) && forKey.Count == 0)
            {
                byKey.Remove(hash);
            }
        }
    }

    // Called on Redis's message loop: quick, and the connections end on the thread pool.
    private void End(string hash)
    {
        Action[] ends;
        lock (gate)
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var (old, at) in evictedAt)
            {
                if (Stopwatch.GetElapsedTime(at, now) > RememberEvictionsFor)
                {
                    evictedAt.Remove(old);
                }
            }

            evictedAt[hash] = now;
            if (!byKey.Remove(hash, out var forKey))
            {
                return;
            }

            ends = [.. forKey.Values];
        }

        Run(ends);
        logger.LogInformation("Ending {Count} live connections of an evicted API key", ends.Length);
    }

    private void Run(Action[] ends) => ThreadPool.QueueUserWorkItem(_ =>
    {
        foreach (var end in ends)
        {
            try
            {
                end();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not end a live connection of an evicted API key");
            }
        }
    });

    private sealed class Registration(ApiKeyConnections owner, string hash, long id) : IDisposable
    {
        private ITimer? expiry;
        private int disposed;

        /// <summary>Ends the connection when its key expires, unless it has ended by then.</summary>
        public void EndAfter(TimeSpan due, Action end) => expiry = owner.time.CreateTimer(_ =>
        {
            if (Volatile.Read(ref disposed) == 0)
            {
                owner.logger.LogInformation("Ending a live connection of an API key that has expired");
                owner.Run([end]);
            }
        }, null, due, Timeout.InfiniteTimeSpan);

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                expiry?.Dispose();
                owner.Untrack(hash, id);
            }
        }
    }
}
