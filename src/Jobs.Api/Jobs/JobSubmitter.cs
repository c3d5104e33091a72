using System.Diagnostics;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Hosting;
using Jobs.Core.Identity;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Jobs.Api.Jobs;

/// <summary>
/// Insert and commit, then XADD (docs/design.md, "Delivery invariants"). Only the workspace's next jobs within its free
/// slots are hinted (see NpgsqlJobStore.Hints.cs), so a large batch cannot crowd other workspaces' jobs off the stream;
/// workers and maintenance hint the rest as slots free up. When Redis is unreachable the jobs are still accepted; they
/// are marked un-hinted so that the maintenance leader hints them as soon as it can.
/// </summary>
public sealed class JobSubmitter(
    IJobStore store, SubmitCoalescer coalescer, HintSender hints, JobEventBus bus, IOptions<ApiOptions> options, ILogger<JobSubmitter> logger)
{
    public async Task<IReadOnlyList<JobInsertResult>> SubmitAsync(Caller caller, IReadOnlyList<JobInsertParams> jobs, CancellationToken cancellationToken)
    {
        using var activity = JobsTelemetry.ActivitySource.StartActivity("submit jobs", ActivityKind.Producer);
        activity?.SetTag("jobs.count", jobs.Count);

        // Insert and the hints within the workspace's bound in one transaction; its commit is the 202's promise. Submits
        // without keys share their transaction with those of concurrent requests.
        var parameters = new JobInsertManyParams(caller.WorkspaceId, caller.UserId, jobs)
        {
            ApiKeyId = caller.ApiKeyId,
            IdempotencyKeyLifetime = options.Value.IdempotencyKeyLifetime,
            HintLimit = WorkspaceLimits.MaxHintsPerWorkspace,
        };
        var coalesced = jobs.All(j => j.IdempotencyKey is null);
        var submitted = coalesced
            ? await coalescer.SubmitAsync(parameters, cancellationToken)
            : await store.JobInsertManyAsync(parameters, cancellationToken);
        var created = submitted.Results.Where(r => r.Created).Select(r => r.Job).ToList();
        foreach (var job in created)
        {
            JobsMetrics.Submitted.Add(1, JobsMetrics.Type(job.Type));
        }

        if (!coalesced)
        {
            // The coalescer sent its group's hints and updates; these go out together, in one pipelined round trip.
            await Task.WhenAll(bus.PublishManyAsync(created.Select(j => (j, (string?)"submitted"))), hints.SendAsync(submitted.Hints));
        }

        return submitted.Results;
    }

    /// <summary>Hints the workspace's next pending jobs within its free slots; never throws for Redis or PostgreSQL.</summary>
    public async Task HintNextAsync(Guid workspaceId)
    {
        IReadOnlyList<JobHint> due;
        try
        {
            due = await store.JobHintDueAsync(new JobHintDueParams(workspaceId, StaleAfter: null, Limit: WorkspaceLimits.MaxHintsPerWorkspace, Leader: null), CancellationToken.None);
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning("Could not hint the workspace's next jobs ({Message}); maintenance will", ex.Message);
            return;
        }

        await hints.SendAsync(due);
    }
}
