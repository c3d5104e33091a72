using Jobs.Contracts.Jobs;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Queue;
using Jobs.Core.Engine.Schedules;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Hosting;
using Jobs.Core.Identity;
using Jobs.Cron;
using Jobs.Worker.Processing;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Maintenance;

/// <summary>
/// The maintenance leader's schedule task (docs/design.md, "Schedules"): each tick it fires every due schedule, one
/// transaction per schedule, fenced by the leader's term. Which tick fires, and the next one, are computed here with the
/// database's clock as the store read it; the store's compare-and-set makes each tick one job at most.
/// </summary>
internal sealed class ScheduleFirer(
    IScheduleStore schedules,
    JobTypeCatalog catalog,
    JobEventBus bus,
    IOptions<WorkerOptions> options,
    ILogger<ScheduleFirer> logger)
{
    private const int BatchSize = 500;

    /// <summary>Fires the due schedules; returns how many jobs were made.</summary>
    public async Task<int> FireDueAsync(LeaderTerm term, CancellationToken cancellationToken)
    {
        var due = await schedules.ScheduleListDueAsync(BatchSize, cancellationToken);
        var made = new List<Job>();
        foreach (var schedule in due.Items)
        {
            // Null: another firer's tick, an edit since the read, or a lost term; each leaves the schedule as it is.
            // One schedule that cannot fire (a zone this host's time zone data lacks, a database error on its row)
            // must not hold back the others or the rest of the leader's tick: it is logged and tried again next tick.
            ScheduleFireResult? fired;
            try
            {
                fired = await FireAsync(term, schedule, due.Now, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                logger.LogError(ex, "Schedule {ScheduleId} could not fire; it is tried again at the next tick", schedule.Id);
                continue;
            }

            if (fired?.Job is { } job)
            {
                made.Add(job);
            }
        }

        if (made.Count > 0)
        {
            // After the commits, as a submit does (docs/design.md, "Delivery invariants"); the tick's fill hints them.
            await bus.PublishManyAsync(made.Select(j => (j, (string?)JobUpdateMessages.SubmittedBySchedule)));
        }

        return made.Count;
    }

    private async Task<ScheduleFireResult?> FireAsync(LeaderTerm term, Schedule schedule, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var definition = schedule.Definition;
        var tick = ScheduleCron.Parse(definition.Cron, definition.TimeZone)
            .Decide(schedule.NextRunAt!.Value, now, definition.MissedPolicy, options.Value.ScheduleMissedAfter);
        JobInsertParams? job = null;
        if (tick.FireAt is not null)
        {
            if (await catalog.FindAsync(definition.Type, cancellationToken) is { } type)
            {
                job = new JobInsertParams(definition.Type, type.Queue, definition.Priority, definition.Payload, null, definition.MaxAttempts, definition.TimeoutSeconds, null);
            }
            else
            {
                logger.LogWarning("Schedule {ScheduleId}: job type {Type} is not in the catalog; the tick at {TickAt} makes no job", schedule.Id, definition.Type, tick.FireAt);
            }
        }
        else
        {
            logger.LogInformation("Schedule {ScheduleId}: ticks up to {Now} were missed and its policy skips them", schedule.Id, now);
        }

        // No fill of its own (HintLimit 0): the leader's tick fills every workspace with free slots right after the
        // schedules fire (MaintenanceService), so one fill per workspace hints what the ticks made.
        var fired = await schedules.ScheduleFireAsync(new ScheduleFireParams(term, schedule, schedule.NextRunAt.Value, tick, job, HintLimit: 0), cancellationToken);
        if (fired?.Job is { } made)
        {
            JobsMetrics.Submitted.Add(1, JobsMetrics.Type(made.Type));
        }

        return fired;
    }
}
