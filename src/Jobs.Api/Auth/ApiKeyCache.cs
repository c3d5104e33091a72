using Jobs.Core.Identity;
using Jobs.Messaging;
using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;

namespace Jobs.Api.Auth;

/// <summary>
/// Caches API key lookups for a minute, and drops a key's lookup on every API instance the moment it is revoked:
/// <see cref="EvictAsync"/> publishes the key's hash on <see cref="RedisKeys.ApiKeyEvictChannel"/>, which every
/// instance subscribes to.
/// </summary>
/// <remarks>
/// Pub/sub delivers at most once, so the cache is trusted only while this instance's subscription is connected:
/// otherwise every lookup goes to the database (correct, a little slower). A connection that fails or comes back
/// (<see cref="RedisSubscription.OnInterrupted"/>, <see cref="RedisSubscription.OnResubscribed"/>) bumps
/// <see cref="generation"/>, part of every cache key, so that entries which may have missed an eviction are never read
/// again. A lookup that raced with an eviction is not cached (<see cref="evictions"/>). A key with an expiry (a session)
/// is served from the cache only until that expiry, which nobody announces.
/// </remarks>
public sealed class ApiKeyCache(
    IMemoryCache cache,
    IWorkspaceStore workspaces,
    IConnectionMultiplexer redis,
    RedisKeys keys,
    TimeProvider time,
    ILogger<ApiKeyCache> logger) : BackgroundService
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan RepublishEvery = TimeSpan.FromSeconds(1);

    private readonly RedisChannel channel = RedisChannel.Literal(keys.ApiKeyEvictChannel);
    private long generation;
    private long evictions;
    private volatile RedisSubscription? subscription;

    /// <summary>
    /// Raised with a key's hash (hex) whenever its lookup is evicted here, from this instance or another: long-lived
    /// connections made with the key (<see cref="ApiKeyConnections"/>) end, so that they authenticate again.
    /// Handlers must be quick and must not throw: they run on Redis's message loop.
    /// </summary>
    public event Action<string>? Evicted;

    /// <summary>True while evictions published by other instances reach this one, so that cached lookups can be used.</summary>
    public bool IsTrusted => subscription?.IsListening == true;

    /// <summary>The caller an unrevoked key belongs to, or null.</summary>
    public async Task<Caller?> FindCallerAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (!IsTrusted)
        {
            return await workspaces.ApiKeyFindCallerAsync(apiKey, cancellationToken);
        }

        var hash = HashOf(apiKey);
        var currentGeneration = Interlocked.Read(ref generation);
        if (cache.TryGetValue(CacheKey(currentGeneration, hash), out Caller? cached))
        {
            return cached?.ApiKeyExpiresAt <= time.GetUtcNow() ? null : cached;
        }

        var evictionsBefore = Interlocked.Read(ref evictions);
        var caller = await workspaces.ApiKeyFindCallerAsync(apiKey, cancellationToken);
        // An eviction during the lookup may be for this key and may have come before the row changed: do not keep it.
        if (Interlocked.Read(ref evictions) == evictionsBefore)
        {
            var until = time.GetUtcNow() + CacheFor;
            cache.Set(CacheKey(currentGeneration, hash), caller, caller?.ApiKeyExpiresAt < until ? caller.ApiKeyExpiresAt.Value : until);
        }

        return caller;
    }

    /// <summary>
    /// Drops the key's cached lookup here and, through Redis, on every other instance. Call it after the change that
    /// makes the key invalid is committed. Never throws for Redis: with Redis down the other instances see their
    /// subscription down too and stop trusting their caches.
    /// </summary>
    public async Task EvictAsync(byte[] keyHash)
    {
        var hash = Convert.ToHexString(keyHash);
        Evict(hash);
        // Awaited, so that the other instances have heard it before the caller is answered; not attempted while this
        // instance has no connection, which would only wait out Redis's timeout.
        if (!redis.IsConnected || !await TryPublishAsync(hash, logFailure: true))
        {
            // Instances that lost Redis too distrust their caches; one that still reaches it may hold the key for up to
            // CacheFor, so keep trying that long (after that no cache can hold it any more).
            _ = RepublishAsync(hash);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        subscription = new RedisSubscription(
            redis,
            [new RedisListener(channel, message => Evict(message.Message.ToString()))],
            "API key evictions",
            "key lookups skip the cache",
            time,
            logger)
        {
            OnInterrupted = NewGeneration,
            OnResubscribed = NewGeneration,
        };
        return subscription.StartAsync(stoppingToken);
    }

    public override void Dispose()
    {
        subscription?.Dispose();
        base.Dispose();
    }

    private async Task<bool> TryPublishAsync(string hash, bool logFailure)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(channel, hash);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            if (logFailure)
            {
                logger.LogWarning("Could not publish an API key eviction ({Message}); retrying for {CacheFor}", ex.Message, CacheFor);
            }

            return false;
        }
    }

    private async Task RepublishAsync(string hash)
    {
        var until = time.GetUtcNow() + CacheFor;
        try
        {
            do
            {
                await Task.Delay(RepublishEvery, time);
            }
            while (!await TryPublishAsync(hash, logFailure: false) && time.GetUtcNow() < until);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Gave up publishing an API key eviction");
        }
    }

    private void NewGeneration() => Interlocked.Increment(ref generation);

    private void Evict(string hash)
    {
        Interlocked.Increment(ref evictions);
        cache.Remove(CacheKey(Interlocked.Read(ref generation), hash));
        Evicted?.Invoke(hash);
    }

    /// <summary>The form of a key's hash that <see cref="Evicted"/> carries.</summary>
    public static string HashOf(string apiKey) => Convert.ToHexString(ApiKeyHasher.Hash(apiKey));

    private static object CacheKey(long generation, string hash) => ("api-key", generation, hash);
}
