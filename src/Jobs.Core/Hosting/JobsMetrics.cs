using System.Diagnostics.Metrics;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Stats;
using Jobs.Core.Engine;

namespace Jobs.Core.Hosting;

/// <summary>
/// The instruments on the <c>Jobs</c> meter (docs/design.md, "Conventions"). Counters and histograms carry
/// <c>job.type</c>, so a dashboard splits them by workload; the queue depth carries <c>job.queue</c>.
/// </summary>
public static class JobsMetrics
{
    public const string TypeTag = "job.type";
    public const string QueueTag = "job.queue";
    public const string OutcomeTag = "job.outcome";

    public static Counter<long> Submitted { get; } =
        JobsTelemetry.Meter.CreateCounter<long>("jobs.submitted", "{job}", "Jobs accepted by the API (replays of an idempotency key excluded).");

    public static Counter<long> Claimed { get; } =
        JobsTelemetry.Meter.CreateCounter<long>("jobs.claimed", "{attempt}", "Attempts a worker claimed (lease taken).");

    public static Counter<long> Completed { get; } =
        JobsTelemetry.Meter.CreateCounter<long>("jobs.completed", "{job}", "Jobs that finished with a result.");

    public static Counter<long> Failed { get; } =
        JobsTelemetry.Meter.CreateCounter<long>("jobs.failed", "{job}", "Jobs that failed for good (attempts exhausted or not retryable).");

    public static Counter<long> Cancelled { get; } =
        JobsTelemetry.Meter.CreateCounter<long>("jobs.cancelled", "{job}", "Running jobs stopped by a cancel request.");

    public static Counter<long> Retries { get; } =
        JobsTelemetry.Meter.CreateCounter<long>("jobs.retries", "{attempt}", "Failed attempts scheduled to run again after a backoff.");

    public static Counter<long> LeaseReaps { get; } =
        JobsTelemetry.Meter.CreateCounter<long>("jobs.lease_reaps", "{attempt}", "Expired leases the maintenance leader took back (a worker died or stalled).");

    /// <summary>Webhook attempts by <c>webhook.outcome</c>: <c>succeeded</c>, <c>retry</c>, <c>failed</c> (no retry left), <c>gone</c> (410).</summary>
    public static Counter<long> WebhookAttempts { get; } =
        JobsTelemetry.Meter.CreateCounter<long>("jobs.webhooks.attempts", "{attempt}", "Webhook delivery attempts sent by the workers, by outcome.");

    public static Histogram<double> Duration { get; } =
        JobsTelemetry.Meter.CreateHistogram<double>("jobs.duration", "s", "Time one attempt ran on a worker, by outcome.");

    public static Histogram<double> QueueWait { get; } =
        JobsTelemetry.Meter.CreateHistogram<double>("jobs.queue_wait", "s", "Time from when an attempt was due to when a worker claimed it.");

    public static Gauge<long> QueueDepth { get; } =
        JobsTelemetry.Meter.CreateGauge<long>("jobs.queue.depth", "{entry}", "Stream entries no worker has read yet, as the maintenance leader last saw them.");

    public static KeyValuePair<string, object?> Type(string type) => new(TypeTag, type);

    /// <summary>Counts a written attempt outcome: pending is a retry, unless the worker handed the job back on shutdown.</summary>
    public static void RecordOutcome(Job outcome, TimeSpan ran, bool handedBack)
    {
        var type = Type(outcome.Type);
        var counter = outcome.Status switch
        {
            JobStatus.Completed => Completed,
            JobStatus.Failed => Failed,
            JobStatus.Cancelled => Cancelled,
            JobStatus.Pending when !handedBack => Retries,
            _ => null,
        };
        counter?.Add(1, type);
        Duration.Record(ran.TotalSeconds, type, new KeyValuePair<string, object?>(OutcomeTag, outcome.Status));
    }
}
