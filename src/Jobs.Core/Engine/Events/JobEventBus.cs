using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Messaging;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Jobs.Core.Engine.Events;

/// <summary>
/// Redis pub/sub for live updates and cancel requests, the publishing side (<see cref="JobUpdateChannel"/> is the
/// hearing side of the updates). Publishing is best effort by design: the row in PostgreSQL is
/// always current, so a lost update costs a client freshness, never correctness.
/// </summary>
public sealed class JobEventBus(IConnectionMultiplexer redis, RedisKeys keys, ILogger<JobEventBus> logger)
{
    /// <summary>Most updates one message carries: a message is read whole by every subscriber.</summary>
    public const int MaxUpdatesPerMessage = 100;

    public Task PublishAsync(Job job, string? message = null) => PublishManyAsync([(job, message)]);

    /// <summary>
    /// Publishes <paramref name="updates"/> with one PUBLISH per workspace (a JSON array when it carries more than one
    /// update, at most <see cref="MaxUpdatesPerMessage"/>), pipelined: a group write's updates cost one round trip.
    /// Updates of one job keep their order within a message.
    /// </summary>
    public async Task PublishManyAsync(IEnumerable<(Job Job, string? Message)> updates)
    {
        var subscriber = redis.GetSubscriber();
        var sends = new List<Task>();
        foreach (var workspace in updates.GroupBy(u => u.Job.WorkspaceId))
        {
            foreach (var chunk in workspace.Chunk(MaxUpdatesPerMessage))
            {
                var payload = chunk.Length == 1
                    ? JsonSerializer.Serialize(JobUpdate.From(chunk[0].Job, chunk[0].Message), JobUpdateChannel.SerializerOptions)
                    : JsonSerializer.Serialize(chunk.Select(u => JobUpdate.From(u.Job, u.Message)), JobUpdateChannel.SerializerOptions);
                sends.Add(PublishAsync(subscriber, workspace.Key, chunk.Length, payload));
            }
        }

        await Task.WhenAll(sends);
    }

    private async Task PublishAsync(ISubscriber subscriber, Guid workspaceId, int count, string payload)
    {
        try
        {
            await subscriber.PublishAsync(RedisChannel.Literal(keys.EventsChannel(workspaceId)), payload);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not publish {Count} updates of workspace {WorkspaceId}; clients will read the rows", count, workspaceId);
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

    /// <summary>
    /// Cancel requests, for the workers' <see cref="RedisSubscription"/>: <paramref name="onCancel"/> gets the id of each
    /// job whose cancel was requested, wherever it runs.
    /// </summary>
    public RedisListener CancelListener(Action<Guid> onCancel) =>
        new(RedisChannel.Literal(keys.CancelChannel), message =>
        {
            if (Guid.TryParse(message.Message.ToString(), out var jobId))
            {
                onCancel(jobId);
            }
        });
}
