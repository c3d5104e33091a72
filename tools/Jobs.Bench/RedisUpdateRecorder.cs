using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using StackExchange.Redis;

namespace Jobs.Bench;

/// <summary>
/// Hears every live update as the web does, on the pattern <c>jobs:events:*</c> (docs/design.md, "Live updates"; see
/// RedisKeys in Jobs.Messaging), and keeps, for each job, the wall-clock time at which each progress value and each status
/// was first heard. This is the start of the publish → DOM measurement: the web's own subscription hears the same
/// message at about the same time.
/// </summary>
internal sealed class RedisUpdateRecorder : IAsyncDisposable
{
    public const string EventsPattern = "jobs:events:*";

    private readonly ConnectionMultiplexer _redis;
    private readonly ChannelMessageQueue _queue;
    private readonly ConcurrentDictionary<(Guid JobId, string Value), double> _first = new();
    private readonly Task _reading;
    private long _received;

    private RedisUpdateRecorder(ConnectionMultiplexer redis, ChannelMessageQueue queue)
    {
        _redis = redis;
        _queue = queue;
        _reading = ReadAsync();
    }

    public long Received => Interlocked.Read(ref _received);

    public static async Task<RedisUpdateRecorder> StartAsync(string configuration)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(configuration);
        var queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Pattern(EventsPattern));
        return new RedisUpdateRecorder(redis, queue);
    }

    /// <summary>Wall-clock milliseconds since the Unix epoch, on the clock the browser's <c>Date.now()</c> reads too.</summary>
    public static double NowMs() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;

    /// <summary>Progress keys look like <c>p:42</c>, statuses like <c>s:processing</c>, as the DOM observer writes them.</summary>
    public bool TryGetFirst(Guid jobId, string value, out double atMs) => _first.TryGetValue((jobId, value), out atMs);

    /// <summary>Distinct (job, value) pairs first heard at or after <paramref name="fromMs"/>, for the given jobs.</summary>
    public int CountFirstHeardSince(double fromMs, ISet<Guid> jobs, char kind) =>
        _first.Count(e => e.Value >= fromMs && e.Key.Value[0] == kind && jobs.Contains(e.Key.JobId));

    private async Task ReadAsync()
    {
        try
        {
            while (true)
            {
                var message = await _queue.ReadAsync();
                // The time first: the parse below is not part of the system's latency.
                var at = NowMs();
                // One message carries one update or an array of a workspace's updates.
                using var json = JsonDocument.Parse(message.Message.ToString());
                var root = json.RootElement;
                foreach (var update in root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root])
                {
                    Interlocked.Increment(ref _received);
                    var jobId = update.GetProperty("jobId").GetGuid();
                    _first.TryAdd((jobId, $"p:{update.GetProperty("progress").GetInt32()}"), at);
                    _first.TryAdd((jobId, $"s:{update.GetProperty("status").GetString()}"), at);
                }
            }
        }
        catch (ChannelClosedException)
        {
            // Unsubscribed: the run is over.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _queue.UnsubscribeAsync();
        await _reading;
        await _redis.DisposeAsync();
    }
}
