using System.ComponentModel.DataAnnotations;

namespace Jobs.Worker.Processing;

/// <summary>Settings of one worker process (section <c>Worker</c>), validated at start-up.</summary>
public sealed class WorkerOptions : IValidatableObject
{
    public const string Section = "Worker";

    /// <summary>Jobs this process runs at once.</summary>
    [Range(1, 1000)]
    public int Slots { get; set; } = 16;

    /// <summary>How long a claim holds a job without a heartbeat. A crashed worker's jobs wait this long at most.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often leases are extended; a third of the lease leaves two missed beats of slack.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long an idle consumer waits before reading its streams again.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Progress is written and published at most this often per job; stage and status changes at once.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>On shutdown, running jobs get this long to finish before they are stopped and handed back.</summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often the maintenance leader runs (docs/design.md, "Delivery invariants"); it also bounds how late a retry
    /// fires.
    /// </summary>
    public TimeSpan MaintenanceInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A pending job whose hint is older than this is hinted again (lost hints, a flushed Redis).</summary>
    public TimeSpan StaleHintAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A worker silent for this long is dead: its unacknowledged stream entries are taken over.</summary>
    public TimeSpan DeadWorkerAfter { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// A schedule's tick later than this when the leader gets to it (the workers were down) is missed: a schedule whose
    /// policy is <c>skip</c> makes no job for it (docs/design.md, "Schedules").
    /// </summary>
    public TimeSpan ScheduleMissedAfter { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Completed and cancelled jobs are deleted (with their events and files) this long after they ended; zero keeps them.</summary>
    public TimeSpan CompletedJobRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>Failed jobs are kept longer, for investigation; zero keeps them.</summary>
    public TimeSpan FailedJobRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Uploads no waiting job refers to are deleted this long after they were uploaded; zero keeps them.</summary>
    public TimeSpan UploadRetention { get; set; } = TimeSpan.FromDays(7);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (LeaseDuration <= TimeSpan.Zero || HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval * 2 > LeaseDuration)
        {
            yield return new ValidationResult("HeartbeatInterval must be positive and at most half of LeaseDuration.", [nameof(HeartbeatInterval)]);
        }

        foreach (var (name, value) in new[]
        {
            (nameof(PollInterval), PollInterval), (nameof(ProgressInterval), ProgressInterval),
            (nameof(MaintenanceInterval), MaintenanceInterval), (nameof(StaleHintAfter), StaleHintAfter),
            (nameof(DeadWorkerAfter), DeadWorkerAfter), (nameof(RetryBaseDelay), RetryBaseDelay),
            (nameof(ScheduleMissedAfter), ScheduleMissedAfter),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                yield return new ValidationResult($"{name} must be positive.", [name]);
            }
        }

        foreach (var (name, value) in new[]
        {
            (nameof(CompletedJobRetention), CompletedJobRetention), (nameof(FailedJobRetention), FailedJobRetention),
            (nameof(UploadRetention), UploadRetention),
        })
        {
            if (value < TimeSpan.Zero)
            {
                yield return new ValidationResult($"{name} must be zero (keep forever) or positive.", [name]);
            }
        }

        if (RetryMaxDelay < RetryBaseDelay)
        {
            yield return new ValidationResult("RetryMaxDelay must be at least RetryBaseDelay.", [nameof(RetryMaxDelay)]);
        }

        if (DeadWorkerAfter <= HeartbeatInterval * 2)
        {
            yield return new ValidationResult("DeadWorkerAfter must be more than two heartbeats.", [nameof(DeadWorkerAfter)]);
        }
    }
}
