using System.Text.Json;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Events;

namespace Jobs.Web.Api;

/// <summary>
/// A job as <c>GET /api/jobs/{id}</c> shows it. <see cref="Sequence"/> orders it against live updates;
/// <see cref="ScheduleId"/> is the schedule that made it; <see cref="DependsOn"/> what it waits for (null: nothing) and
/// <see cref="WaitingFor"/> how many of those have not finished.
/// </summary>
public sealed record JobView(
    Guid Id,
    string Type,
    string Queue,
    int Priority,
    string Status,
    JsonElement Payload,
    JsonElement? Result,
    int Progress,
    string? Stage,
    long? ProcessedItems,
    long? TotalItems,
    JsonElement Metrics,
    string? Error,
    int Attempt,
    int MaxAttempts,
    DateTimeOffset RunAt,
    int TimeoutSeconds,
    DateTimeOffset? CancelRequestedAt,
    long Sequence,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset UpdatedAt,
    bool CanCancel,
    bool CanRetry,
    Guid? ScheduleId = null,
    IReadOnlyList<Guid>? DependsOn = null,
    int? WaitingFor = null)
{
    /// <summary>
    /// This job with a live update applied, when the update is newer than what was read
    /// (docs/design.md, "Live updates"); otherwise this job unchanged. <see cref="CanCancel"/> and
    /// <see cref="CanRetry"/> are not in an update: a page re-reads the row on a change of status to refresh them.
    /// </summary>
    public JobView Apply(JobUpdate update) => update.JobId != Id || update.Sequence <= Sequence
        ? this
        : this with
        {
            Status = update.Status,
            Progress = update.Progress,
            Stage = update.Stage,
            ProcessedItems = update.ProcessedItems,
            TotalItems = update.TotalItems,
            Metrics = update.Metrics,
            Error = update.Error,
            Attempt = update.Attempt,
            Sequence = update.Sequence,
            UpdatedAt = update.Timestamp,
        };

    public bool IsTerminal => JobStatus.IsFinal(Status);

    /// <summary>A pending job some of whose dependencies have not finished: it waits for them, not for a slot.</summary>
    public bool IsWaitingForDependencies => Status == JobStatus.Pending && WaitingFor > 0;
}
