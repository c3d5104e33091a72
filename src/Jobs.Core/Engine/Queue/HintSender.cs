using Jobs.Core.Engine.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace Jobs.Core.Engine.Queue;

/// <summary>
/// Puts hints already marked in the database (hinted_at) on their streams. The jobs are committed, so a failure here
/// only delays them: when Redis is unreachable they are marked un-hinted for maintenance to hint again, and should
/// even that fail, maintenance re-hints stale hints after <c>StaleHintAfter</c>. Never throws for Redis or PostgreSQL.
/// </summary>
public sealed class HintSender(JobQueue queue, IJobStore store, ILogger<HintSender> logger)
{
    public async Task SendAsync(IReadOnlyList<JobHint> hints)
    {
        try
        {
            await queue.AddHintsAsync(hints);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Could not hint {Count} jobs ({Message}); maintenance will", hints.Count, ex.Message);
            try
            {
                await store.JobMarkUnhintedAsync(hints.Select(h => h.JobId).ToList(), CancellationToken.None);
            }
            catch (Exception inner) when (inner is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Could not mark {Count} jobs un-hinted ({Message})", hints.Count, inner.Message);
            }
        }
    }
}
