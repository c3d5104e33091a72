using System.Diagnostics;
using Jobs.Api.Limits;
using Jobs.Contracts.Workspaces;
using Jobs.Core.Engine;
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
/// <para>
/// Submits and retries are held to the caller's bulk jobs per hour first (<see cref="BulkSubmissionLimiter"/>): a
/// refused one changes nothing, and whatever the reservation counted but the submit or retry did not create is given
/// back, in a <c>finally</c> so that no path keeps it.
/// </para>
/// </summary>
public sealed class JobSubmitter(
    IJobStore store,
    SubmitCoalescer coalescer,
    HintSender hints,
    JobEventBus bus,
    BulkSubmissionLimiter bulkLimiter,
    IOptions<ApiOptions> options,
    ILogger<JobSubmitter> logger)
{
    /// <summary>
    /// Submits <paramref name="jobs"/> when the caller's bulk jobs among them fit the limit (a batch is refused whole);
    /// otherwise changes nothing and says how long to wait.
    /// </summary>
    public async Task<SubmitOutcome> SubmitAsync(Caller caller, IReadOnlyList<JobInsertParams> jobs, CancellationToken cancellationToken)
    {
        var reservation = await bulkLimiter.ReserveAsync(caller, jobs, cancellationToken);
        if (reservation.Refusal is { } refusal)
        {
            return new SubmitOutcome(null, refusal);
        }

        // A counted job that was not created goes back: every one when the submission fails, and one whose request
        // raced another with the same key and found the job already there.
        var created = 0;
        try
        {
            var results = await InsertAsync(caller, jobs, cancellationToken);
            created = reservation.Counted.Count(i => results[i].Created);
            return new SubmitOutcome(results, null);
        }
        finally
        {
            await reservation.ReleaseAsync(reservation.Count - created);
        }
    }

    /// <summary>
    /// Runs <paramref name="job"/> again when the caller may: a bulk job counts as one against the caller's bulk jobs
    /// per hour, given back when the retry does not apply (the job was no longer failed or cancelled) or fails.
    /// </summary>
    public async Task<RetryOutcome> RetryAsync(Caller caller, JobActor actor, Job job, CancellationToken cancellationToken)
    {
        var reservation = await bulkLimiter.ReserveRetryAsync(caller, job.Type, cancellationToken);
        if (reservation.Refusal is { } refusal)
        {
            return new RetryOutcome(null, refusal);
        }

        var applied = false;
        try
        {
            var result = await store.JobRetryAsync(caller.WorkspaceId, job.Id, actor, cancellationToken);
            applied = result.Applied;
            return new RetryOutcome(result, null);
        }
        finally
        {
            if (!applied)
            {
                await reservation.ReleaseAsync(reservation.Count);
            }
        }
    }

    private async Task<IReadOnlyList<JobInsertResult>> InsertAsync(Caller caller, IReadOnlyList<JobInsertParams> jobs, CancellationToken cancellationToken)
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

/// <summary>Either the submission's results, one per job in its order, or the bulk limit's refusal.</summary>
public sealed record SubmitOutcome(IReadOnlyList<JobInsertResult>? Results, BulkRefusal? Refused);

/// <summary>Either the retry's result (null job: not found), or the bulk limit's refusal.</summary>
public sealed record RetryOutcome(JobCommandResult? Result, BulkRefusal? Refused);
