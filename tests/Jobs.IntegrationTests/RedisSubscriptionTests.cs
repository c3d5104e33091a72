using System.Collections.Concurrent;
using Jobs.Hosting.Local;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Jobs.IntegrationTests;

/// <summary>
/// The one pub/sub subscription helper, against a Redis of the test's own that stops and comes back: retries while
/// Redis is down, hears again after a restart, tells its user to catch up, and stops when disposed.
/// </summary>
public sealed class RedisSubscriptionTests(Servers servers)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task StartedWhileRedisIsDown_SubscribesOnceItIsUp_AndLogsTheOutageOnce()
    {
        await using var redis = await servers.StartPrivateRedisAsync();
        await redis.StopAsync();
        await using var multiplexer = await ConnectAsync(redis);
        using var logs = new CapturedLogs();
        var heard = new ConcurrentQueue<string>();
        var channel = NewChannel();
        using var subscription = Subscribe(multiplexer, channel, heard, logs);

        await subscription.StartAsync(CancellationToken.None);
        subscription.IsSubscribed.ShouldBeFalse();
        // Attempts at 0, 0.5 and 1.5 s: several failures, one warning.
        await Task.Delay(TimeSpan.FromSeconds(2));
        await redis.RestartAsync();

        await Eventually.TrueAsync(() => Task.FromResult(subscription.IsListening), "the subscription to be made", Patience);
        await PublishUntilHeardAsync(redis, channel, heard, "hello");
        logs.Entries.Count(e => e.Level == LogLevel.Warning).ShouldBe(1);
        logs.Entries.ShouldContain(e => e.Level == LogLevel.Information && e.Message.StartsWith("Subscribed to test messages"));
    }

    [Fact]
    public async Task AfterRedisRestarts_MessagesArriveAgain_AndItsUserIsToldToCatchUp()
    {
        await using var redis = await servers.StartPrivateRedisAsync();
        await using var multiplexer = await ConnectAsync(redis);
        using var logs = new CapturedLogs();
        var heard = new ConcurrentQueue<string>();
        var channel = NewChannel();
        var interrupted = 0;
        var resubscribed = 0;
        using var subscription = Subscribe(multiplexer, channel, heard, logs, () => Interlocked.Increment(ref interrupted), () => Interlocked.Increment(ref resubscribed));
        await subscription.StartAsync(CancellationToken.None);
        subscription.IsListening.ShouldBeTrue();
        await PublishUntilHeardAsync(redis, channel, heard, "before");

        await redis.StopAsync();
        await Eventually.TrueAsync(() => Task.FromResult(!subscription.IsListening && Volatile.Read(ref interrupted) > 0), "the outage to be noticed");
        Volatile.Read(ref resubscribed).ShouldBe(0);
        await redis.RestartAsync();

        await Eventually.TrueAsync(() => Task.FromResult(subscription.IsListening && Volatile.Read(ref resubscribed) > 0), "the user to be told to catch up", Patience);
        await PublishUntilHeardAsync(redis, channel, heard, "after");
        subscription.IsSubscribed.ShouldBeTrue();
        logs.Entries.Count(e => e.Message.StartsWith("Lost test messages")).ShouldBe(1);
        logs.Entries.Count(e => e.Message.StartsWith("Resubscribed to test messages")).ShouldBe(1);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task DisposedOrCancelledWhileRetrying_TriesNoMore_AndLeavesNoSubscriptionBehind(bool dispose)
    {
        await using var redis = await servers.StartPrivateRedisAsync();
        await redis.StopAsync();
        await using var multiplexer = await ConnectAsync(redis);
        using var logs = new CapturedLogs(LogLevel.Debug);
        var heard = new ConcurrentQueue<string>();
        var channel = NewChannel();
        using var subscription = Subscribe(multiplexer, channel, heard, logs);
        using var stopping = new CancellationTokenSource();
        await subscription.StartAsync(stopping.Token);
        await Eventually.TrueAsync(() => Task.FromResult(Attempts(logs) >= 2), "a second attempt");

        if (dispose)
        {
            subscription.Dispose();
        }
        else
        {
            await stopping.CancelAsync();
        }

        var attempts = Attempts(logs);
        // Twice the wait before the next attempt.
        await Task.Delay(RedisSubscription.FirstRetryDelay * 4);
        Attempts(logs).ShouldBe(attempts);
        await redis.RestartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(multiplexer.IsConnected), "the multiplexer to reconnect", Patience);
        // Longer than the next waits between attempts add up to, and than a reconnect takes to subscribe again.
        await Task.Delay(RedisSubscription.FirstRetryDelay * 8);

        subscription.IsSubscribed.ShouldBeFalse();
        await using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        (await publisher.GetSubscriber().PublishAsync(channel, "anyone?")).ShouldBe(0);
        heard.ShouldBeEmpty();
        logs.Entries.ShouldNotContain(e => e.Message.StartsWith("Subscribed to"));
    }

    // Failed attempts: the first is a warning, the others are logged at debug.
    private static int Attempts(CapturedLogs logs) =>
        logs.Entries.Count(e => e.Message.StartsWith("Cannot subscribe to") || e.Message.StartsWith("Still cannot subscribe to"));

    private static RedisChannel NewChannel() => RedisChannel.Literal($"test:{Guid.NewGuid():N}");

    private static RedisSubscription Subscribe(
        IConnectionMultiplexer multiplexer,
        RedisChannel channel,
        ConcurrentQueue<string> heard,
        CapturedLogs logs,
        Action? onInterrupted = null,
        Action? onResubscribed = null) =>
        new(multiplexer, [new RedisListener(channel, message => heard.Enqueue(message.Message.ToString()))], "test messages", "nothing",
            TimeProvider.System, logs.CreateLogger(nameof(RedisSubscriptionTests)))
        {
            OnInterrupted = onInterrupted,
            OnResubscribed = onResubscribed,
        };

    // The services' own client settings: no abort on a failed connect, commands fail at once while disconnected.
    private static async Task<ConnectionMultiplexer> ConnectAsync(RedisServer redis)
    {
        var options = ConfigurationOptions.Parse(redis.ConnectionString);
        ClientSettings.Redis(options);
        options.ConnectTimeout = 1000;
        return await ConnectionMultiplexer.ConnectAsync(options);
    }

    // Published again until heard: a subscription made again is sent before it is reported, not confirmed.
    private static async Task PublishUntilHeardAsync(RedisServer redis, RedisChannel channel, ConcurrentQueue<string> heard, string message)
    {
        await using var publisher = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        await Eventually.TrueAsync(async () =>
        {
            await publisher.GetSubscriber().PublishAsync(channel, message);
            await Task.Delay(50);
            return heard.Contains(message);
        }, $"\"{message}\" to be heard", Patience);
    }
}
