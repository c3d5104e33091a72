using System.Diagnostics;
using Jobs.Core.Events;
using Jobs.Core.Hosting;
using Jobs.Core.Queue;
using Jobs.Core.Storage;
using Jobs.Core.Workspaces;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Jobs.Api.Jobs;

/// <summary>
/// DESIGN §5.2: insert and commit, then XADD. Only the workspace's next jobs within its free slots are hinted (see
/// NpgsqlJobStore.Hints.cs), so a large batch cannot crowd other workspaces' jobs off the stream; workers and
/// maintenance hint the rest as slots free up. When Redis is unreachable the jobs are still accepted; they are marked
/// un-hinted so that the maintenance leader enqueues them as soon as it can.
/// </summary>
public sealed class JobSubmitter(IJobStore store, JobQueue queue, JobEventBus bus, TimeProvider time, IOptions<ApiOptions> options, ILogger<JobSubmitter> logger)
{
    // A workspace's bound is its concurrency limit; this only caps one call's work should a limit be set very high.
    private const int MaxHintsPerSubmit = 1000;

    public async Task<IReadOnlyList<JobInsertResult>> SubmitAsync(Caller caller, IReadOnlyList<JobInsertParams> jobs, CancellationToken cancellationToken)
    {
        using var activity = JobsTelemetry.ActivitySource.StartActivity("submit jobs", ActivityKind.Producer);
        activity?.SetTag("jobs.count", jobs.Count);

        var results = await store.JobInsertManyAsync(new JobInsertManyParams(caller.WorkspaceId, caller.UserId, jobs)
        {
            ApiKeyId = caller.ApiKeyId,
            IdempotencyKeyLifetime = options.Value.IdempotencyKeyLifetime,
        }, cancellationToken);
        var created = results.Where(r => r.Created).Select(r => r.Job).ToList();
        foreach (var job in created)
        {
            JobsMetrics.Submitted.Add(1, JobsMetrics.Type(job.Type));
        }

        if (created.Any(j => j.RunAt <= time.GetUtcNow()))
        {
            await HintNextAsync(caller.WorkspaceId);
        }

        await Task.WhenAll(created.Select(j => bus.PublishAsync(j, "submitted")));
        return results;
    }

    /// <summary>Hints the workspace's next pending jobs within its free slots; never throws for Redis or PostgreSQL.</summary>
    public async Task HintNextAsync(Guid workspaceId)
    {
        IReadOnlyList<JobHint> due = [];
        try
        {
            // The jobs are committed: a failure from here on delays them until maintenance hints them, nothing more.
            due = await store.JobEnqueueDueAsync(new JobEnqueueDueParams(workspaceId, StaleAfter: null, Limit: MaxHintsPerSubmit, Leader: null), CancellationToken.None);
            await queue.EnqueueAsync(due);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Redis unreachable ({Message}); the jobs are pending, maintenance will enqueue them", ex.Message);
            await store.JobMarkUnhintedAsync(due.Select(h => h.JobId).ToList(), CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning("Could not hint the workspace's next jobs ({Message}); maintenance will", ex.Message);
        }
    }
}
