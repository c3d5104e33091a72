using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Jobs.Messaging;

/// <summary>
/// A pub/sub subscription that outlives Redis outages, with one policy for every process that listens
/// (docs/design.md, "Live updates"): the API's and the web's live updates, the worker's wake-ups and cancel requests,
/// the API's key evictions. Every use of it has a PostgreSQL fallback, so nothing waits for it.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="StartAsync"/> subscribes every listener's channel; while Redis cannot be reached it tries again after
/// <see cref="FirstRetryDelay"/>, doubling the wait up to <see cref="MaxRetryDelay"/>, until it succeeds, its token is
/// cancelled or it is disposed. Once subscribed, the multiplexer itself subscribes again whenever its connection comes
/// back; what was published in between is lost (pub/sub delivers at most once), so a user that must catch up says how
/// in <see cref="OnInterrupted"/> and <see cref="OnResubscribed"/>.
/// </para>
/// <para>
/// Each listener's messages are handled one at a time, in the order Redis delivers them, by the multiplexer's message
/// loop for that channel: handlers must be quick and must not wait. It logs once per change of state (first failure,
/// subscribed, connection lost, resubscribed), not once per retry.
/// </para>
/// <para>
/// A failed attempt removes from the multiplexer every subscription of the channel it failed on, another
/// <see cref="RedisSubscription"/>'s included: a channel has one per process.
/// </para>
/// </remarks>
/// <param name="redis">The process's multiplexer.</param>
/// <param name="listeners">The channels to hear and what to do with their messages.</param>
/// <param name="name">What it hears, for the log: "live job updates".</param>
/// <param name="whileDown">What covers for it while it hears nothing, for the log: "clients read the rows".</param>
/// <param name="time">Times the waits between attempts.</param>
/// <param name="logger">Its owner's logger.</param>
public sealed class RedisSubscription(
    IConnectionMultiplexer redis,
    IReadOnlyList<RedisListener> listeners,
    string name,
    string whileDown,
    TimeProvider time,
    ILogger logger) : IDisposable
{
    /// <summary>The wait after the first failed attempt; each further failure doubles it, up to <see cref="MaxRetryDelay"/>.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait between two attempts while Redis cannot be reached.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource stopping = new();
    private readonly Lock gate = new();
    private List<ChannelMessageQueue> queues = [];
    private bool started;
    private bool disposed;
    private volatile bool subscribed;
    private int interrupted;

    /// <summary>
    /// Called when a connection of the multiplexer fails while subscribed: messages may be lost from now until
    /// <see cref="OnResubscribed"/>. At least once per outage, on a thread of its own; must not throw.
    /// </summary>
    public Action? OnInterrupted { get; init; }

    /// <summary>
    /// Called when a connection of the multiplexer comes back while subscribed, the last time once the connection the
    /// channels use is back and the multiplexer has subscribed them again: messages published meanwhile were lost, so
    /// this is the moment to catch up (clear a cache, wake a loop). At least once per outage, on a thread of its own;
    /// must not throw.
    /// </summary>
    public Action? OnResubscribed { get; init; }

    /// <summary>True once every channel is subscribed, until disposed; from then on the multiplexer restores them after reconnects.</summary>
    public bool IsSubscribed => subscribed;

    /// <summary>True while subscribed and the connection the channels use is up, so that messages are being heard.</summary>
    public bool IsListening => subscribed && ChannelsConnected();

    /// <summary>
    /// Makes the first attempt and returns once it has succeeded or failed; after a failure it keeps trying in the
    /// background until it succeeds, <paramref name="cancellationToken"/> is cancelled or this is disposed.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource retrying;
        lock (gate)
        {
            if (started || disposed)
            {
                return;
            }

            started = true;
            retrying = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
            redis.ConnectionFailed += OnConnectionFailed;
            redis.ConnectionRestored += OnConnectionRestored;
        }

        if (await TrySubscribeAsync(attempt: 1))
        {
            retrying.Dispose();
            return;
        }

        _ = RetryAsync(retrying);
    }

    public void Dispose()
    {
        List<ChannelMessageQueue> made;
        lock (gate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            subscribed = false;
            made = queues;
            queues = [];
        }

        stopping.Cancel();
        stopping.Dispose();
        redis.ConnectionFailed -= OnConnectionFailed;
        redis.ConnectionRestored -= OnConnectionRestored;
        Unsubscribe(made);
    }

    private async Task RetryAsync(CancellationTokenSource retrying)
    {
        var delay = FirstRetryDelay;
        var attempt = 1;
        try
        {
            do
            {
                await Task.Delay(delay, time, retrying.Token);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            while (!await TrySubscribeAsync(++attempt));
        }
        catch (OperationCanceledException) when (retrying.IsCancellationRequested)
        {
            // Stopping, or disposed.
        }
        catch (ObjectDisposedException)
        {
            // The multiplexer went first (the process is stopping).
        }
        finally
        {
            retrying.Dispose();
        }
    }

    private async Task<bool> TrySubscribeAsync(int attempt)
    {
        var subscriber = redis.GetSubscriber();
        var made = new List<ChannelMessageQueue>(listeners.Count);
        try
        {
            foreach (var listener in listeners)
            {
                made.Add(await subscriber.SubscribeAsync(listener.Channel));
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The multiplexer registers a subscription before it asks the server, and keeps it after a failure so as to
            // make it on reconnect. Nobody would read that queue, and it is unbounded: remove it (with every other
            // subscription of its channel here, since it was never handed out), and the ones made.
            var failed = listeners[made.Count].Channel;
            Unsubscribe(made);
            Quietly(() => subscriber.Unsubscribe(failed, flags: CommandFlags.FireAndForget));
            if (attempt == 1)
            {
                logger.LogWarning("Cannot subscribe to {Subscription} yet ({Message}); {WhileDown} meanwhile; retrying, at most {MaxRetryDelay} apart",
                    name, ex.Message, whileDown, MaxRetryDelay);
            }
            else
            {
                logger.LogDebug("Still cannot subscribe to {Subscription} (attempt {Attempt}: {Message})", name, attempt, ex.Message);
            }

            return false;
        }

        lock (gate)
        {
            if (disposed)
            {
                Unsubscribe(made);
                return true;
            }

            queues = made;
            subscribed = true;
        }

        // Handlers go on only now, so that a failed attempt never delivered anything; messages since the subscribe wait.
        for (var i = 0; i < made.Count; i++)
        {
            var listener = listeners[i];
            made[i].OnMessage(message => Handle(listener, message));
        }

        logger.LogInformation("Subscribed to {Subscription} (attempt {Attempt})", name, attempt);
        return true;
    }

    private void Handle(RedisListener listener, ChannelMessage message)
    {
        try
        {
            listener.OnMessage(message);
        }
        catch (Exception ex)
        {
            // The multiplexer's message loop would swallow it silently.
            logger.LogWarning(ex, "A message on {Channel} of {Subscription} was not handled", message.Channel, name);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (!subscribed)
        {
            return;
        }

        if (Interlocked.Exchange(ref interrupted, 1) == 0)
        {
            logger.LogWarning("Lost {Subscription}: the Redis connection failed ({FailureType}); {WhileDown} until it is back",
                name, e.FailureType, whileDown);
        }

        Notify(OnInterrupted);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (!subscribed)
        {
            return;
        }

        // Raised per connection (interactive, subscription), each after the multiplexer has sent the subscriptions again
        // if it was theirs. The outage is over once the one the channels use is back too.
        if (ChannelsConnected() && Interlocked.Exchange(ref interrupted, 0) == 1)
        {
            logger.LogInformation("Resubscribed to {Subscription}; what was published while Redis was away is lost", name);
        }

        Notify(OnResubscribed);
    }

    private void Notify(Action? callback)
    {
        try
        {
            callback?.Invoke();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Catching up on {Subscription} failed", name);
        }
    }

    private bool ChannelsConnected() =>
        redis.IsConnected && listeners.All(listener => redis.GetSubscriber().IsConnected(listener.Channel));

    private static void Unsubscribe(List<ChannelMessageQueue> made)
    {
        foreach (var queue in made)
        {
            Quietly(() => queue.Unsubscribe(CommandFlags.FireAndForget));
        }
    }

    // The multiplexer forgets a subscription before it tells the server, so a failure to tell it (not connected) leaves
    // nothing to make again on reconnect.
    private static void Quietly(Action unsubscribe)
    {
        try
        {
            unsubscribe();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
        }
    }
}
