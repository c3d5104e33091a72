using Jobs.Messaging;
using StackExchange.Redis;

namespace Jobs.Api.Limits;

/// <summary>What a limiter decided: allowed, or denied until <see cref="RetryAfter"/> has passed.</summary>
/// <param name="Count">What the window holds, this request included when it was allowed.</param>
public sealed record RateDecision(bool Allowed, long Count, TimeSpan RetryAfter)
{
    public static RateDecision FailedOpen { get; } = new(true, 0, TimeSpan.Zero);

    /// <summary>Whole seconds for <c>Retry-After</c>, at least 1.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}

/// <summary>
/// Rate-limit counters and concurrency slots kept in Redis, so that every API instance counts against the same limit.
/// Each decision is one Lua script, atomic on the server, timed by the server's clock (instances' clocks may differ).
/// When Redis does not answer the limits fail open: the engine accepts submissions while Redis is down
/// (docs/design.md, "Delivery invariants"), so must its limits.
/// </summary>
public sealed class RedisRateLimiter(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time, ILogger<RedisRateLimiter> logger)
{
    // A window fixed from its first request: INCR, and the expiry set with the first one.
    private const string FixedWindowScript = """
        local count = redis.call('INCR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 0 then
          redis.call('PEXPIRE', KEYS[1], ARGV[1])
          ttl = tonumber(ARGV[1])
        end
        return {count, ttl}
        """;

    // A sliding log: one member per counted item, scored by when it was counted. ARGV: window ms, limit, how many to
    // add, a unique member prefix. Denied: {0, count, ms until enough members leave the window for all of them}.
    private const string SlidingLogScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        local limit = tonumber(ARGV[2])
        local n = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local count = redis.call('ZCARD', KEYS[1])
        if count + n > limit then
          local wait = window
          if n <= limit then
            local leaving = redis.call('ZRANGE', KEYS[1], count + n - limit - 1, count + n - limit - 1, 'WITHSCORES')
            wait = tonumber(leaving[2]) + window - now
          end
          return {0, count, wait}
        end
        for i = 1, n do
          redis.call('ZADD', KEYS[1], now, ARGV[4] .. ':' .. i)
        end
        redis.call('PEXPIRE', KEYS[1], window)
        return {1, count + n, 0}
        """;

    // What a sliding log holds now, without counting anything: {count, ms until its oldest member leaves the window}
    // (0 when it is empty). ARGV: window ms.
    private const string SlidingLogReadScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local count = redis.call('ZCARD', KEYS[1])
        if count == 0 then
          return {0, 0}
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return {count, tonumber(oldest[2]) + window - now}
        """;

    // Concurrency slots: one sorted set per limit, one member per holder, scored by when its lease ends, so that a holder
    // that died (its instance crashed) frees its slot when the lease ends. KEYS: the sets; ARGV: lease ms, the member,
    // then each set's limit. Taken in every set or in none: {0} taken, {i, count} refused by the i-th set.
    private const string SlotsTakeScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local lease = tonumber(ARGV[1])
        for i, key in ipairs(KEYS) do
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
          local count = redis.call('ZCARD', key)
          if count >= tonumber(ARGV[i + 2]) then
            return {i, count}
          end
        end
        for _, key in ipairs(KEYS) do
          redis.call('ZADD', key, now + lease, ARGV[2])
          redis.call('PEXPIRE', key, lease)
        end
        return {0, 0}
        """;

    private const string SlotsReleaseScript = """
        for _, key in ipairs(KEYS) do
          redis.call('ZREM', key, ARGV[1])
        end
        return 0
        """;

    private long lastWarningTicks;

    /// <summary>Counts one request against <paramref name="limit"/> per <paramref name="window"/> under <paramref name="name"/>.</summary>
    public async Task<RateDecision> HitFixedWindowAsync(string name, int limit, TimeSpan window)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
                FixedWindowScript, [Key(name)], [(long)window.TotalMilliseconds]))!;
            var count = (long)result[0];
            return new RateDecision(count <= limit, count, TimeSpan.FromMilliseconds((long)result[1]));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WarnFailedOpen(name, ex);
            return RateDecision.FailedOpen;
        }
    }

    /// <summary>
    /// Counts <paramref name="count"/> items at once against <paramref name="limit"/> per sliding
    /// <paramref name="window"/>: all of them or none. An allowed reservation can be given back with
    /// <see cref="ReleaseAsync"/>.
    /// </summary>
    public async Task<(RateDecision Decision, SlidingReservation? Reservation)> TryReserveAsync(string name, int limit, TimeSpan window, int count)
    {
        var member = $"{time.GetUtcNow().ToUnixTimeMilliseconds()}:{Guid.NewGuid():N}";
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
                SlidingLogScript, [Key(name)], [(long)window.TotalMilliseconds, limit, count, member]))!;
            var decision = new RateDecision((long)result[0] == 1, (long)result[1], TimeSpan.FromMilliseconds((long)result[2]));
            return (decision, decision.Allowed ? new SlidingReservation(name, member, count) : null);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WarnFailedOpen(name, ex);
            return (RateDecision.FailedOpen, null);
        }
    }

    /// <summary>
    /// How many items the sliding log <paramref name="name"/> holds within <paramref name="window"/>, and how long until
    /// its oldest one leaves it (zero when it is empty); nothing is counted. Null when Redis does not answer.
    /// </summary>
    public async Task<(long Count, TimeSpan OldestLeavesIn)?> SlidingLogReadAsync(string name, TimeSpan window)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
                SlidingLogReadScript, [Key(name)], [(long)window.TotalMilliseconds]))!;
            return ((long)result[0], TimeSpan.FromMilliseconds(Math.Max(0, (long)result[1])));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WarnFailedOpen(name, ex);
            return null;
        }
    }

    /// <summary>Gives back the first <paramref name="count"/> items of a reservation (they were not used after all).</summary>
    public async Task ReleaseAsync(SlidingReservation reservation, int count)
    {
        if (count <= 0)
        {
            return;
        }

        try
        {
            var members = Enumerable.Range(1, Math.Min(count, reservation.Count)).Select(i => (RedisValue)$"{reservation.Member}:{i}").ToArray();
            await redis.GetDatabase().SortedSetRemoveAsync(Key(reservation.Name), members);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WarnFailedOpen(reservation.Name, ex);
        }
    }

    /// <summary>
    /// Takes a slot in each of <paramref name="slots"/> (at most <c>Limit</c> holders each) for <paramref name="member"/>,
    /// for at most <paramref name="lease"/>: in all of them, or in none. Returns the index of the limit that refused
    /// it, or null when it may go ahead (taken, or Redis did not answer).
    /// </summary>
    /// <remarks>Names that must stay together on one Redis Cluster node share a hash tag (<c>{…}</c>).</remarks>
    public async Task<int?> SlotsTryTakeAsync(IReadOnlyList<(string Name, int Limit)> slots, string member, TimeSpan lease)
    {
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
                SlotsTakeScript,
                [.. slots.Select(s => Key(s.Name))],
                [(long)lease.TotalMilliseconds, member, .. slots.Select(s => (RedisValue)s.Limit)]))!;
            var refused = (int)result[0];
            return refused == 0 ? null : refused - 1;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WarnFailedOpen(slots[0].Name, ex);
            return null;
        }
    }

    /// <summary>Gives back <paramref name="member"/>'s slots; if Redis does not answer, their lease frees them.</summary>
    public async Task SlotsReleaseAsync(IReadOnlyList<string> names, string member)
    {
        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(SlotsReleaseScript, [.. names.Select(Key)], [member]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WarnFailedOpen(names[0], ex);
        }
    }

    private RedisKey Key(string name) => keys.RateLimit(name);

    // Once a minute at most: while Redis is down every request would say it.
    private void WarnFailedOpen(string name, Exception ex)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref lastWarningTicks);
        if (last != 0 && time.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1))
        {
            return;
        }

        if (Interlocked.CompareExchange(ref lastWarningTicks, now, last) == last)
        {
            logger.LogWarning("Redis unreachable for rate limit {Limit} ({Message}); limits are not enforced until it is back", name, ex.Message);
        }
    }
}

/// <summary>Items counted by <see cref="RedisRateLimiter.TryReserveAsync"/>, so that they can be given back.</summary>
public sealed record SlidingReservation(string Name, string Member, int Count);
