using System.Diagnostics;
using Jobs.Core.Engine.Storage;
using Jobs.Messaging;
using StackExchange.Redis;

namespace Jobs.Core.Engine.Queue;

/// <summary>
/// One Redis stream per queue, one consumer group. An entry only wakes a worker up and names a job
/// (docs/design.md, "Delivery invariants"): losing one delays the job until maintenance hints it again, never loses it.
/// </summary>
public sealed class JobQueue(IConnectionMultiplexer redis, RedisKeys keys)
{
    private const string JobField = "job";
    private const string TraceParentField = "traceparent";
    private const string TraceStateField = "tracestate";

    private IDatabase Db => redis.GetDatabase();

    /// <summary>XADDs one hint per job, pipelined, carrying the current trace context. Throws when Redis is unreachable.</summary>
    public async Task AddHintsAsync(IReadOnlyList<JobHint> hints)
    {
        if (hints.Count == 0)
        {
            return;
        }

        var fields = new List<NameValueEntry>(3);
        if (Activity.Current is { } activity)
        {
            fields.Add(new NameValueEntry(TraceParentField, activity.Id));
            if (activity.TraceStateString is { } state)
            {
                fields.Add(new NameValueEntry(TraceStateField, state));
            }
        }

        var batch = Db.CreateBatch();
        var adds = hints
            .Select(h => batch.StreamAddAsync(keys.Stream(h.Queue), [new NameValueEntry(JobField, h.JobId.ToString()), .. fields]))
            .ToList();
        // Best effort, in the same round trip: a worker that misses it still reads the entry at its next poll.
        var wakes = hints
            .Select(h => h.Queue)
            .Distinct(StringComparer.Ordinal)
            .Select(q => batch.PublishAsync(RedisChannel.Literal(keys.WakeChannel(q)), hints.Count))
            .ToList();
        batch.Execute();
        await Task.WhenAll(adds);
        await Task.WhenAll(wakes);
    }

    /// <summary>
    /// The wake-up channels of <paramref name="queues"/>, for a worker's <see cref="RedisSubscription"/>:
    /// <paramref name="onWake"/> is called whenever hints are added to one of them.
    /// </summary>
    public IReadOnlyList<RedisListener> WakeListeners(IEnumerable<string> queues, Action onWake) =>
        queues.Select(queue => new RedisListener(RedisChannel.Literal(keys.WakeChannel(queue)), _ => onWake())).ToList();

    /// <summary>Reads up to <paramref name="count"/> new entries for this consumer; recreates the group if Redis lost it.</summary>
    public async Task<IReadOnlyList<StreamHint>> ReadAsync(string queue, string consumer, int count)
    {
        StreamEntry[] entries;
        try
        {
            entries = await Db.StreamReadGroupAsync(keys.Stream(queue), RedisKeys.ConsumerGroup, consumer, ">", count);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
        {
            // First start, or Redis was flushed or failed over: entries already there are hints of pending jobs.
            await EnsureGroupAsync(queue);
            entries = await Db.StreamReadGroupAsync(keys.Stream(queue), RedisKeys.ConsumerGroup, consumer, ">", count);
        }

        return entries.Select(e => ToHint(queue, e)).ToList();
    }

    public async Task EnsureGroupAsync(string queue)
    {
        try
        {
            await Db.StreamCreateConsumerGroupAsync(keys.Stream(queue), RedisKeys.ConsumerGroup, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // Another process created it first.
        }
    }

    /// <summary>
    /// Acknowledged entries are deleted, so a stream holds only backlog and in-flight work
    /// (docs/design.md, "Delivery invariants").
    /// </summary>
    public async Task AckAsync(string queue, IReadOnlyList<string> entryIds)
    {
        if (entryIds.Count == 0)
        {
            return;
        }

        var ids = entryIds.Select(id => (RedisValue)id).ToArray();
        var batch = Db.CreateBatch();
        var ack = batch.StreamAcknowledgeAsync(keys.Stream(queue), RedisKeys.ConsumerGroup, ids);
        var delete = batch.StreamDeleteAsync(keys.Stream(queue), ids);
        batch.Execute();
        await Task.WhenAll(ack, delete);
    }

    /// <summary>
    /// Entries the group has not delivered yet: Redis' own lag when it knows it, else the stream's length less the
    /// delivered-but-unacknowledged entries (acknowledged entries are deleted, so the rest are waiting).
    /// </summary>
    public async Task<long> DepthAsync(string queue)
    {
        var key = keys.Stream(queue);
        try
        {
            var group = (await Db.StreamGroupInfoAsync(key)).FirstOrDefault(g => g.Name == RedisKeys.ConsumerGroup);
            return group.Lag ?? Math.Max(0, await Db.StreamLengthAsync(key) - group.PendingMessageCount);
        }
        catch (RedisServerException ex) when (ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }
    }

    /// <summary>The consumers of a queue's group and how many entries each holds unacknowledged.</summary>
    public async Task<IReadOnlyList<(string Name, long Pending)>> ConsumersAsync(string queue)
    {
        try
        {
            var consumers = await Db.StreamConsumerInfoAsync(keys.Stream(queue), RedisKeys.ConsumerGroup);
            return consumers.Select(c => (c.Name.ToString(), (long)c.PendingMessageCount)).ToList();
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal) || ex.Message.Contains("no such key", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
    }

    /// <summary>
    /// Takes over the entries a dead consumer left unacknowledged (docs/design.md, "Delivery invariants"), deletes them
    /// and the consumer, and returns the jobs they named; the caller re-hints those still pending.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> TakeOverAsync(string queue, string deadConsumer, string newOwner, int count)
    {
        var key = keys.Stream(queue);
        var pending = await Db.StreamPendingMessagesAsync(key, RedisKeys.ConsumerGroup, count, deadConsumer);
        if (pending.Length == 0)
        {
            await Db.StreamDeleteConsumerAsync(key, RedisKeys.ConsumerGroup, deadConsumer);
            return [];
        }

        var ids = pending.Select(p => p.MessageId).ToArray();
        var claimed = await Db.StreamClaimAsync(key, RedisKeys.ConsumerGroup, newOwner, 0, ids);
        await AckAsync(queue, ids.Select(i => i.ToString()).ToList());
        if (pending.Length < count)
        {
            await Db.StreamDeleteConsumerAsync(key, RedisKeys.ConsumerGroup, deadConsumer);
        }

        return claimed.Where(e => !e.IsNull).Select(e => ToHint(queue, e)).Select(h => h.JobId).Where(id => id != Guid.Empty).ToList();
    }

    public async Task<long> LengthAsync(string queue) => await Db.StreamLengthAsync(keys.Stream(queue));

    private static StreamHint ToHint(string queue, StreamEntry entry)
    {
        var job = entry[JobField];
        return new StreamHint(
            queue,
            entry.Id!,
            Guid.TryParse(job.ToString(), out var id) ? id : Guid.Empty,
            entry[TraceParentField].IsNull ? null : entry[TraceParentField].ToString(),
            entry[TraceStateField].IsNull ? null : entry[TraceStateField].ToString());
    }
}
