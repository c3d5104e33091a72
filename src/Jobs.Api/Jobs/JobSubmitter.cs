using System.Diagnostics;
using Jobs.Core.Events;
using Jobs.Core.Hosting;
using Jobs.Core.Queue;
using Jobs.Core.Storage;
using Jobs.Core.Workspaces;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Jobs.Api.Jobs;

/// <summary>
/// DESIGN §5.2: insert and commit, then XADD. When Redis is unreachable the jobs are still accepted; they are marked
/// un-hinted so that the maintenance leader enqueues them as soon as it can.
/// </summary>
public sealed class JobSubmitter(IJobStore store, JobQueue queue, JobEventBus bus, TimeProvider time, IOptions<ApiOptions> options, ILogger<JobSubmitter> logger)
{
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
        var due = created
            .Where(j => j.RunAt <= time.GetUtcNow())
            .Select(j => new JobHint(j.Id, j.WorkspaceId, j.Queue))
            .ToList();
        try
        {
            await queue.EnqueueAsync(due);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            logger.LogWarning("Redis unreachable at submit ({Message}); {Count} jobs accepted, maintenance will enqueue them", ex.Message, due.Count);
            await store.JobMarkUnhintedAsync(due.Select(h => h.JobId).ToList(), CancellationToken.None);
        }

        await Task.WhenAll(created.Select(j => bus.PublishAsync(j, "submitted")));
        return results;
    }
}
