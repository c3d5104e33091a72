using Jobs.Contracts.Jobs;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Files;
using Jobs.Core.Hosting;
using Jobs.Worker.Processing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Jobs.Worker.Maintenance;

/// <summary>
/// Maintenance (docs/design.md, "Delivery invariants"), run by one elected worker at a time: every tick the leader
/// rescues expired leases, publishes the dependents the dependency trigger moved, fires due schedules (<see cref="ScheduleFirer"/>), hints due pending jobs (delays, retry
/// backoff, lost or deferred hints), and now and then
/// takes over the stream entries of dead consumers, deletes expired idempotency keys and applies retention (ended jobs,
/// unused uploads). Each write to a running or pending job carries the leader's term, so a deposed leader changes
/// nothing there.
/// </summary>
internal sealed class MaintenanceService(
    IJobStore store,
    IClusterStore cluster,
    IFileStore files,
    JobQueue queue,
    HintSender hintSender,
    JobEventBus bus,
    ScheduleFirer scheduleFirer,
    JobTypeCatalog catalog,
    WorkerIdentity identity,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<MaintenanceService> logger) : BackgroundService
{
    public const string LeaderName = "maintenance";
    private const int BatchSize = 500;
    private readonly WorkerOptions settings = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A leader that dies is replaced once its term expires: a few ticks, never less than five seconds.
        var ttl = TimeSpan.FromTicks(Math.Max(settings.MaintenanceInterval.Ticks * 5, TimeSpan.FromSeconds(5).Ticks));
        var lastSweep = DateTimeOffset.MinValue;
        using var timer = new PeriodicTimer(settings.MaintenanceInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    var term = await cluster.LeaderAttemptElectAsync(LeaderName, identity.Id, ttl, stoppingToken);
                    if (term is null)
                    {
                        continue;
                    }

                    await RescueExpiredAsync(term, stoppingToken);
                    await PublishDependentsAsync(stoppingToken);
                    await scheduleFirer.FireDueAsync(term, stoppingToken);
                    await HintDueAsync(term, stoppingToken);
                    await ObserveQueueDepthAsync(stoppingToken);
                    if (time.GetUtcNow() - lastSweep > settings.DeadWorkerAfter / 3)
                    {
                        lastSweep = time.GetUtcNow();
                        await TakeOverDeadConsumersAsync(stoppingToken);
                        // Expired keys are already taken over by the next submission; this only keeps the table small.
                        await store.IdempotencyKeyDeleteExpiredAsync(BatchSize, stoppingToken);
                        await ApplyRetentionAsync(stoppingToken);
                    }
                }
                catch (Exception ex) when (ex is Npgsql.NpgsqlException or RedisException or TimeoutException)
                {
                    logger.LogWarning("Maintenance tick failed ({Message}); next tick retries", ex.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await cluster.LeaderResignAsync(LeaderName, identity.Id, CancellationToken.None);
    }

    // A batch per sweep (every DeadWorkerAfter / 3): up to 120,000 deletions an hour with the defaults, far more than
    // this machine completes; a backlog of old jobs after retention is first lowered shrinks over a few sweeps.
    private async Task ApplyRetentionAsync(CancellationToken cancellationToken)
    {
        var jobs = await store.JobDeleteEndedAsync(new JobRetention(settings.CompletedJobRetention, settings.FailedJobRetention), BatchSize, cancellationToken);
        var uploads = settings.UploadRetention > TimeSpan.Zero ? await files.UploadDeleteExpiredAsync(settings.UploadRetention, BatchSize, cancellationToken) : 0;
        if (jobs + uploads > 0)
        {
            logger.LogInformation("Retention deleted {Jobs} ended jobs and {Uploads} uploads", jobs, uploads);
        }
    }

    private async Task RescueExpiredAsync(LeaderTerm term, CancellationToken cancellationToken)
    {
        var rescued = await store.JobRescueExpiredAsync(term, BatchSize, cancellationToken);
        foreach (var job in rescued)
        {
            logger.LogWarning("Job {JobId}: {Error}; now {Status}", job.Id, job.Error, job.Status);
            JobsMetrics.LeaseReaps.Add(1, JobsMetrics.Type(job.Type));
        }

        await bus.PublishManyAsync(rescued.Select(j => (j, j.Error)));

        // Back to pending in the slot it held: its hint goes out now.
        var again = rescued.Where(j => j.Status == JobStatus.Pending).Select(j => new JobHint(j.Id, j.WorkspaceId, j.Queue)).ToList();
        if (again.Count > 0)
        {
            await hintSender.SendAsync(again);
        }
    }

    // The dependents the dependency trigger released or cancelled inside other jobs' outcomes: no process saw those
    // writes, so the leader publishes them (docs/design.md, "Dependencies"). A note is deleted once published; a leader
    // that dies between the two makes the next one publish it again, which the sequence rule makes harmless.
    private async Task PublishDependentsAsync(CancellationToken cancellationToken)
    {
        var noted = await store.JobUpdateOutboxReadAsync(BatchSize, cancellationToken);
        if (noted.Notes.Count == 0)
        {
            return;
        }

        await bus.PublishManyAsync(noted.Jobs.Select(j => (j, j.Status == JobStatus.Cancelled ? j.Error : (string?)JobUpdateMessages.DependenciesFinished)));
        await store.JobUpdateOutboxDeleteAsync(noted.Notes, cancellationToken);
    }

    private async Task HintDueAsync(LeaderTerm term, CancellationToken cancellationToken)
    {
        var hints = await store.JobHintDueAsync(new JobHintDueParams(null, settings.StaleHintAfter, BatchSize, term), cancellationToken);
        if (hints.Count > 0)
        {
            // Hints that cannot be sent are marked un-hinted again, for the next tick.
            await hintSender.SendAsync(hints);
        }
    }

    // The leader alone reports the depth, so a dashboard sees one series per queue however many workers run.
    private async Task ObserveQueueDepthAsync(CancellationToken cancellationToken)
    {
        foreach (var queueName in (await catalog.ListAsync(cancellationToken)).Select(d => d.Queue).Distinct(StringComparer.Ordinal))
        {
            JobsMetrics.QueueDepth.Record(await queue.DepthAsync(queueName), new KeyValuePair<string, object?>(JobsMetrics.QueueTag, queueName));
        }
    }

    private async Task TakeOverDeadConsumersAsync(CancellationToken cancellationToken)
    {
        var live = (await cluster.WorkerListLiveAsync(settings.DeadWorkerAfter, cancellationToken)).Select(w => w.Id).ToHashSet(StringComparer.Ordinal);
        var queues = (await catalog.ListAsync(cancellationToken)).Select(d => d.Queue).Distinct(StringComparer.Ordinal);
        foreach (var queueName in queues)
        {
            foreach (var (consumer, _) in await queue.ConsumersAsync(queueName))
            {
                if (live.Contains(consumer))
                {
                    continue;
                }

                var jobIds = await queue.TakeOverAsync(queueName, consumer, identity.Id, BatchSize);
                var pending = jobIds.Count == 0 ? [] : await store.JobFilterPendingAsync(jobIds, cancellationToken);
                if (pending.Count > 0)
                {
                    // Un-hinted, they are hinted again by the next tick's HintDueAsync, within their workspace's limit.
                    await store.JobMarkUnhintedAsync(pending, cancellationToken);
                }

                logger.LogInformation("Took over {Count} stream entries of dead consumer {Consumer} on {Queue}", jobIds.Count, consumer, queueName);
            }
        }

        await cluster.WorkerDeleteDeadAsync(settings.DeadWorkerAfter * 10, cancellationToken);
    }
}
