using Jobs.Core.Engine.Queue;
using StackExchange.Redis;

namespace Jobs.Worker.Processing;

/// <summary>
/// Acknowledges (and deletes) this worker's spent stream entries: an attempt's once its outcome is recorded, a lost
/// claim's at once (docs/design.md, "Delivery invariants"). Never throws for Redis: an entry it could not acknowledge
/// stays in this consumer's pending list, and its job, finished or never this worker's, is dropped by whoever re-reads
/// the hint.
/// </summary>
internal sealed class StreamAcks(JobQueue queue, ILogger<StreamAcks> logger)
{
    public async Task AckAsync(string queueName, IReadOnlyList<string> entryIds)
    {
        try
        {
            await queue.AckAsync(queueName, entryIds);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning(ex, "Could not acknowledge {Count} entries on {Queue}", entryIds.Count, queueName);
        }
    }
}
