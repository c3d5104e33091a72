using System.Security.Cryptography;
using System.Text;
using Jobs.Core.Identity;
using Jobs.Messaging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Jobs.Api.Sessions;

/// <summary>
/// Counts failed password checks (sign-in, changing one's password) against budgets per sliding window
/// (<see cref="SignInThrottleOptions"/>), in Redis so that every API instance counts together:
/// <list type="bullet">
/// <item>on a device not known for the email: per email and client address, per client address (spraying across
/// emails) and per email (guessing one password from many addresses);</item>
/// <item>on a known device (a device token issued to that email): per device only, so that an attacker who spends
/// the email's budget elsewhere does not lock its owner out.</item>
/// </list>
/// An attempt takes its place in every budget before the password is checked, and gives it back when the password was
/// right: only failures stay counted, and a burst of parallel guesses cannot all pass before the first is counted.
/// A refused attempt is not checked and not counted. While Redis does not answer, each instance counts in its own
/// memory: guessing passwords must never be unlimited, even if the budgets are per instance for a while.
/// </summary>
public sealed class SignInThrottle(
    IConnectionMultiplexer redis,
    RedisKeys keys,
    IOptions<SignInThrottleOptions> options,
    TimeProvider time,
    ILogger<SignInThrottle> logger)
{
    // KEYS: the budgets' sorted sets (one member per counted failure, scored by when). ARGV: window ms, the attempt's
    // member, then each budget's limit. Taken in every budget or in none: {0, 0} taken, else {the first budget that
    // refused (1-based), ms until every refusing budget has room}.
    private const string TakeScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        local refused = 0
        local wait = 0
        for i, key in ipairs(KEYS) do
          redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
          local limit = tonumber(ARGV[i + 2])
          local count = redis.call('ZCARD', key)
          if count >= limit then
            local leaving = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
            local w = tonumber(leaving[2]) + window - now
            if refused == 0 then refused = i end
            if w > wait then wait = w end
          end
        end
        if refused > 0 then
          return {refused, wait}
        end
        for _, key in ipairs(KEYS) do
          redis.call('ZADD', key, now, ARGV[2])
          redis.call('PEXPIRE', key, window)
        end
        return {0, 0}
        """;

    private const string ReleaseScript = """
        for _, key in ipairs(KEYS) do
          redis.call('ZREM', key, ARGV[1])
        end
        return 0
        """;

    private readonly LocalFailureLog local = new(time);
    private long lastWarningTicks;

    private SignInThrottleOptions Options => options.Value;

    /// <summary>
    /// Takes a sign-in's place in its budgets before its password is checked. Refused: do not check the password,
    /// answer with <see cref="SignInAttempt.RetryAfter"/>. Allowed: check it, then call
    /// <see cref="SignInAttempt.SucceededAsync"/> if it was right; a wrong one stays counted.
    /// </summary>
    /// <param name="deviceId">A device known for <paramref name="email"/> (its device token checked), or null.</param>
    public Task<SignInAttempt> BeginAsync(string email, string clientAddress, string? deviceId) =>
        TakeAsync(Budgets(email, clientAddress, deviceId), clientAddress);

    /// <summary>
    /// As <see cref="BeginAsync"/>, for a signed-in person who types their password again (changing it). Their session
    /// shows they signed in with it already, as a device token would: they are held to the per-device budget, for all
    /// their sessions together, and not to the email's, which an attacker elsewhere may have spent.
    /// </summary>
    public Task<SignInAttempt> BeginSignedInAsync(string email, string clientAddress) =>
        TakeAsync([new Budget("signed-in person", $"{{signin}}:signed-in:{AccountKey(email)}", Options.FailuresPerDevice)], clientAddress);

    private async Task<SignInAttempt> TakeAsync(IReadOnlyList<Budget> budgets, string clientAddress)
    {
        var member = $"{time.GetUtcNow().ToUnixTimeMilliseconds()}:{Guid.NewGuid():N}";
        var window = Options.Window;
        int? refused;
        TimeSpan wait;
        var inRedis = true;
        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(
                TakeScript,
                [.. budgets.Select(b => keys.RateLimit(b.Name))],
                [(long)window.TotalMilliseconds, member, .. budgets.Select(b => (RedisValue)b.Limit)]))!;
            var index = (int)result[0];
            refused = index == 0 ? null : index - 1;
            wait = TimeSpan.FromMilliseconds((long)result[1]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            WarnLocal(ex);
            inRedis = false;
            (refused, wait) = local.TryTake(budgets, window, member);
        }

        if (refused is { } i)
        {
            logger.LogInformation("Sign-in throttled by the {Budget} budget for client {ClientAddress}; retry in {RetryAfter}", budgets[i].Kind, clientAddress, wait);
            return new SignInAttempt(this, budgets, member, inRedis, allowed: false, retryAfter: wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait);
        }

        return new SignInAttempt(this, budgets, member, inRedis, allowed: true, retryAfter: TimeSpan.Zero);
    }

    /// <summary>The budgets an attempt counts against, by Redis name (one hash tag, so one script may touch them all).</summary>
    internal IReadOnlyList<Budget> Budgets(string email, string clientAddress, string? deviceId)
    {
        if (deviceId is not null)
        {
            return [new Budget("device", $"{{signin}}:device:{deviceId}", Options.FailuresPerDevice)];
        }

        var account = AccountKey(email);
        return
        [
            new Budget("account and address", $"{{signin}}:account-address:{account}:{clientAddress}", Options.FailuresPerAccountAndAddress),
            new Budget("address", $"{{signin}}:address:{clientAddress}", Options.FailuresPerAddress),
            new Budget("account", $"{{signin}}:account:{account}", Options.FailuresPerAccount),
        ];
    }

    /// <summary>A device token as a counting key: part of its hash, never the token.</summary>
    public static string DeviceKey(string deviceToken) => Convert.ToHexStringLower(ApiKeyHasher.Hash(deviceToken))[..32];

    /// <summary>An email as a counting key: normalised and hashed, so that Redis holds no addresses.</summary>
    public static string AccountKey(string email) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())))[..32];

    internal async Task ReleaseAsync(SignInAttempt attempt)
    {
        if (!attempt.InRedis)
        {
            local.Release(attempt.Budgets, attempt.Member);
            return;
        }

        try
        {
            await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [.. attempt.Budgets.Select(b => keys.RateLimit(b.Name))], [attempt.Member]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The success stays counted as a failure until the window passes: a small cost, and only while Redis is down.
            WarnLocal(ex);
        }
    }

    // Once a minute at most: while Redis is down every sign-in would say it.
    private void WarnLocal(Exception ex)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref lastWarningTicks);
        if (last != 0 && time.GetElapsedTime(last, now) < TimeSpan.FromMinutes(1))
        {
            return;
        }

        if (Interlocked.CompareExchange(ref lastWarningTicks, now, last) == last)
        {
            logger.LogWarning("Redis unreachable for the sign-in throttle ({Message}); failures are counted in this instance's memory until it is back", ex.Message);
        }
    }

    internal sealed record Budget(string Kind, string Name, int Limit);

    /// <summary>
    /// The same budgets in one instance's memory, for while Redis is down. Each budget holds at most its limit of
    /// entries (a refused attempt adds none), and budgets whose entries have all left the window are swept out now and
    /// then; every entry costs a password check, which bounds how fast they can be made.
    /// </summary>
    private sealed class LocalFailureLog(TimeProvider time)
    {
        private readonly Lock gate = new();
        private readonly Dictionary<string, List<(long At, string Member)>> budgets = new(StringComparer.Ordinal);
        private int sinceSweep;

        public (int? Refused, TimeSpan Wait) TryTake(IReadOnlyList<Budget> wanted, TimeSpan window, string member)
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var windowMs = (long)window.TotalMilliseconds;
            lock (gate)
            {
                if (++sinceSweep >= 1000)
                {
                    sinceSweep = 0;
                    foreach (var name in budgets.Where(b => b.Value.Count == 0 || b.Value[^1].At <= now - windowMs).Select(b => b.Key).ToList())
                    {
                        budgets.Remove(name);
                    }
                }

                int? refused = null;
                long wait = 0;
                for (var i = 0; i < wanted.Count; i++)
                {
                    if (!budgets.TryGetValue(wanted[i].Name, out var entries))
                    {
                        continue;
                    }

                    entries.RemoveAll(e => e.At <= now - windowMs);
                    if (entries.Count >= wanted[i].Limit)
                    {
                        refused ??= i;
                        wait = Math.Max(wait, entries[entries.Count - wanted[i].Limit].At + windowMs - now);
                    }
                }

                if (refused is not null)
                {
                    return (refused, TimeSpan.FromMilliseconds(wait));
                }

                foreach (var budget in wanted)
                {
                    if (!budgets.TryGetValue(budget.Name, out var entries))
                    {
                        budgets[budget.Name] = entries = [];
                    }

                    entries.Add((now, member));
                }

                return (null, TimeSpan.Zero);
            }
        }

        public void Release(IReadOnlyList<Budget> taken, string member)
        {
            lock (gate)
            {
                foreach (var budget in taken)
                {
                    if (budgets.TryGetValue(budget.Name, out var entries))
                    {
                        entries.RemoveAll(e => e.Member == member);
                    }
                }
            }
        }
    }
}

/// <summary>One password check's place in its budgets (<see cref="SignInThrottle.BeginAsync"/>).</summary>
public sealed class SignInAttempt
{
    private readonly SignInThrottle throttle;

    internal SignInAttempt(SignInThrottle throttle, IReadOnlyList<SignInThrottle.Budget> budgets, string member, bool inRedis, bool allowed, TimeSpan retryAfter)
    {
        this.throttle = throttle;
        Budgets = budgets;
        Member = member;
        InRedis = inRedis;
        Allowed = allowed;
        RetryAfter = retryAfter;
    }

    /// <summary>Whether the password may be checked; when not, do not check it.</summary>
    public bool Allowed { get; }

    /// <summary>When refused: how long until every budget that refused has room again.</summary>
    public TimeSpan RetryAfter { get; }

    internal IReadOnlyList<SignInThrottle.Budget> Budgets { get; }

    internal string Member { get; }

    internal bool InRedis { get; }

    /// <summary>The password was right: the attempt is not a failure, and leaves the budgets.</summary>
    public Task SucceededAsync() => Allowed ? throttle.ReleaseAsync(this) : Task.CompletedTask;
}
