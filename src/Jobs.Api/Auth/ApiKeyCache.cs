using Jobs.Core.Queue;
using Jobs.Core.Workspaces;
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
/// otherwise every lookup goes to the database (correct, a little slower). A connection that fails or comes back bumps
/// <see cref="generation"/>, part of every cache key, so that entries which may have missed an eviction are never read
/// again. A lookup that raced with an eviction is not cached (<see cref="evictions"/>).
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
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly RedisChannel channel = RedisChannel.Literal(keys.ApiKeyEvictChannel);
    private long generation;
    private long evictions;
    private volatile bool subscribed;

    /// <summary>True while evictions published by other instances reach this one, so that cached lookups can be used.</summary>
    public bool IsTrusted => subscribed && redis.IsConnected && redis.GetSubscriber().IsConnected(channel);

    /// <summary>The caller an unrevoked key belongs to, or null.</summary>
    public async Task<Caller?> FindCallerAsync(string apiKey, CancellationToken cancellationToken)
    {
        if (!IsTrusted)
        {
            return await workspaces.ApiKeyFindCallerAsync(apiKey, cancellationToken);
        }

        var hash = Convert.ToHexString(ApiKeyHasher.Hash(apiKey));
        var currentGeneration = Interlocked.Read(ref generation);
        if (cache.TryGetValue(CacheKey(currentGeneration, hash), out Caller? cached))
        {
            return cached;
        }

        var evictionsBefore = Interlocked.Read(ref evictions);
        var caller = await workspaces.ApiKeyFindCallerAsync(apiKey, cancellationToken);
        // An eviction during the lookup may be for this key and may have come before the row changed: do not keep it.
        if (Interlocked.Read(ref evictions) == evictionsBefore)
        {
            cache.Set(CacheKey(currentGeneration, hash), caller, CacheFor);
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
        try
        {
            await redis.GetSubscriber().PublishAsync(channel, hash);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Could not publish an API key eviction ({Message}); instances without Redis do not use their caches", ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        redis.ConnectionFailed += OnConnectionChanged;
        redis.ConnectionRestored += OnConnectionChanged;
        var delay = FirstRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var queue = await redis.GetSubscriber().SubscribeAsync(channel);
                queue.OnMessage(message => Evict(message.Message.ToString()));
                Interlocked.Increment(ref generation);
                subscribed = true;
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Until subscribed, lookups skip the cache; nothing is wrong, only slower.
                await redis.GetSubscriber().UnsubscribeAsync(channel, flags: CommandFlags.FireAndForget);
                logger.LogWarning("Cannot subscribe to API key evictions yet ({Message}); retrying in {Delay}", ex.Message, delay);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    public override void Dispose()
    {
        redis.ConnectionFailed -= OnConnectionChanged;
        redis.ConnectionRestored -= OnConnectionChanged;
        base.Dispose();
    }

    private void OnConnectionChanged(object? sender, ConnectionFailedEventArgs e) => Interlocked.Increment(ref generation);

    private void Evict(string hash)
    {
        Interlocked.Increment(ref evictions);
        cache.Remove(CacheKey(Interlocked.Read(ref generation), hash));
    }

    private static object CacheKey(long generation, string hash) => ("api-key", generation, hash);
}
