using System.Text.Json;
using Jobs.Core.Jobs;
using Jobs.Core.Queue;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Jobs.Core.Events;

/// <summary>
/// Redis pub/sub for live updates and cancel requests. Publishing is best effort by design: the row in PostgreSQL is
/// always current, so a lost update costs a client freshness, never correctness.
/// </summary>
public sealed class JobEventBus(IConnectionMultiplexer redis, RedisKeys keys, ILogger<JobEventBus> logger)
{
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web);

    public async Task PublishAsync(Job job, string? message = null)
    {
        var update = JobUpdate.From(job, message);
        try
        {
            await redis.GetSubscriber().PublishAsync(
                RedisChannel.Literal(keys.EventsChannel(job.WorkspaceId)),
                JsonSerializer.Serialize(update, SerializerOptions));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not publish update {Sequence} of job {JobId}; clients will read the row", update.Sequence, job.Id);
        }
    }

    public async Task PublishCancelAsync(Guid jobId)
    {
        try
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(keys.CancelChannel), jobId.ToString());
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The worker's heartbeat also reads cancel_requested_at, so the handler still stops, a little later.
            logger.LogWarning(ex, "Could not publish the cancel request of job {JobId}; the worker's heartbeat will see it", jobId);
        }
    }

    public async Task SubscribeCancelAsync(Action<Guid> onCancel)
    {
        var channel = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(keys.CancelChannel));
        channel.OnMessage(message =>
        {
            if (Guid.TryParse(message.Message.ToString(), out var jobId))
            {
                onCancel(jobId);
            }
        });
    }

    /// <summary>
    /// One pattern subscription for every workspace's updates (the API's and the web's fan-out), made once per process;
    /// <paramref name="onUpdate"/> is called for one update at a time, in the order Redis delivers them. Once made, the
    /// multiplexer restores it after every reconnect. Throws when Redis cannot be reached, leaving nothing registered,
    /// so that the caller can simply try again later.
    /// </summary>
    public async Task SubscribeUpdatesAsync(Action<JobUpdate> onUpdate)
    {
        var subscriber = redis.GetSubscriber();
        var pattern = RedisChannel.Pattern(keys.EventsPattern);
        ChannelMessageQueue channel;
        try
        {
            channel = await subscriber.SubscribeAsync(pattern);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The multiplexer registers the subscription's queue before it asks the server, and keeps it after a failure
            // to subscribe it on reconnect. Nobody would read that queue, and it is unbounded: remove it before rethrowing.
            await subscriber.UnsubscribeAsync(pattern, flags: CommandFlags.FireAndForget);
            throw;
        }

        channel.OnMessage(message =>
        {
            try
            {
                if (JsonSerializer.Deserialize<JobUpdate>(message.Message.ToString(), SerializerOptions) is { } update)
                {
                    onUpdate(update);
                }
            }
            catch (JsonException ex)
            {
                logger.LogWarning(ex, "Ignored a malformed update on {Channel}", message.Channel);
            }
        });
    }
}
