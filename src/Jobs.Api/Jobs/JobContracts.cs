using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog;

namespace Jobs.Api.Jobs;

/// <summary>
/// The body of <c>POST /api/jobs</c>, and one item of a batch. Any other member lands in <see cref="Unknown"/> and is
/// refused: a client never sets a job's workspace, status, attempt or owner.
/// </summary>
/// <remarks>
/// <see cref="Type"/> and <see cref="Payload"/> are required (nullable here only so that a missing one is a field error,
/// not a body the API cannot read); the others are optional, with the job type's defaults. <see cref="DependsOn"/>
/// names jobs to wait for (ids, or in a batch <c>ref:&lt;name&gt;</c> of an earlier item's <see cref="Ref"/>);
/// <see cref="OnDependencyFailure"/> is <c>cancel</c> (the default) or <c>run</c> (docs/api.md, "Dependencies").
/// </remarks>
public sealed record SubmitJobRequest(
    string? Type,
    JsonElement? Payload,
    int? Priority = null,
    DateTimeOffset? RunAt = null,
    int? MaxAttempts = null,
    int? TimeoutSeconds = null,
    string? IdempotencyKey = null,
    IReadOnlyList<string?>? DependsOn = null,
    string? OnDependencyFailure = null,
    string? Ref = null)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

public sealed record SubmitBatchRequest(IReadOnlyList<SubmitJobRequest?>? Jobs)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

public sealed record JobLinks(string Self, string Timeline, string Events, string Cancel, string Retry);

/// <summary><see cref="Replayed"/>: an idempotency key returned this earlier job; nothing new was submitted.</summary>
public sealed record SubmitJobResponse(Guid JobId, string Status, JobLinks Links, bool Replayed = false);

public sealed record SubmitBatchResponse(IReadOnlyList<SubmitJobResponse> Jobs);

/// <summary>
/// A job as the API shows it. <see cref="Sequence"/> orders it against live updates; <see cref="ScheduleId"/> is the
/// schedule that made it (null for a submit, or once the schedule is deleted). A job with dependencies shows them in
/// <see cref="DependsOn"/> (null otherwise, and in lists) and how many have not finished in <see cref="WaitingFor"/>.
/// </summary>
public sealed record JobResponse(
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
    string? IdempotencyKey,
    long Sequence,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset UpdatedAt,
    bool CanCancel,
    bool CanRetry,
    JobLinks Links,
    Guid? ScheduleId,
    IReadOnlyList<Guid>? DependsOn = null,
    int? WaitingFor = null)
{
    public static JobResponse From(Job job) => new(
        job.Id, job.Type, job.Queue, job.Priority, job.Status, job.Payload, job.Result, job.Progress, job.Stage,
        job.ProcessedItems, job.TotalItems, job.Metrics, job.Error, job.Attempt, job.MaxAttempts, job.RunAt,
        job.TimeoutSeconds, job.CancelRequestedAt, job.IdempotencyKey, job.Version, job.CreatedAt, job.StartedAt,
        job.CompletedAt, job.UpdatedAt,
        JobStateMachine.CanCancel(job.Status, job.CancelRequestedAt is not null),
        JobStateMachine.CanRetry(job.Status),
        LinksFor(job.Id),
        job.ScheduleId);

    public static JobLinks LinksFor(Guid id) => new(
        $"/api/jobs/{id}", $"/api/jobs/{id}/timeline", $"/api/jobs/{id}/events", $"/api/jobs/{id}/cancel", $"/api/jobs/{id}/retry");
}

public sealed record JobListResponse(IReadOnlyList<JobResponse> Items, string? NextCursor);

/// <summary>Another job a job waits for, or that waits for it, with its current status.</summary>
public sealed record JobLinkResponse(Guid Id, string Type, string Status);

/// <summary>
/// What a job waits for: <see cref="WaitingFor"/> of them have not finished; <see cref="OnDependencyFailure"/> says what
/// a failed or cancelled one does to it.
/// </summary>
public sealed record JobDependenciesResponse(IReadOnlyList<JobLinkResponse> Items, int WaitingFor, string OnDependencyFailure);

/// <summary>A page of the jobs that wait for a job, oldest first.</summary>
public sealed record JobDependentsResponse(IReadOnlyList<JobLinkResponse> Items, string? NextCursor);

/// <summary>One timeline entry; <see cref="Actor"/> says who asked for it (submit, cancel, retry), null for the engine.</summary>
public sealed record JobEventResponse(long Id, string Kind, string Status, string? Stage, int Attempt, string? Message, DateTimeOffset At, JobEventActor? Actor = null);

/// <param name="Bulk">Counts against the workspace's bulk jobs per hour per user.</param>
/// <param name="ItemsField">The payload's item list, at most the workspace's max_batch_items long.</param>
/// <param name="Display">The type's title, stage sentences and metric labels for people; null when its workers publish none.</param>
public sealed record JobTypeResponse(string Name, string Description, string Queue, JsonElement PayloadSchema, int MaxAttempts, int TimeoutSeconds, bool Bulk, string? ItemsField, JobTypeDisplay? Display);
