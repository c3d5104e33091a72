using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Contracts.Jobs;

/// <summary>
/// The body of <c>POST /api/jobs</c>, and one item of a batch. Any other member is
/// refused: a client never sets a job's workspace, status, attempt or owner.
/// </summary>
/// <remarks>
/// <c>type</c> and <c>payload</c> are required (nullable here only so that a missing one is a field error,
/// not a body the API cannot read); the others are optional, with the job type's defaults. <c>dependsOn</c>
/// names jobs to wait for (ids, or in a batch <c>ref:&lt;name&gt;</c> of an earlier item's <c>ref</c>);
/// <c>onDependencyFailure</c> is <c>cancel</c> (the default) or <c>run</c> (docs/api.md, "Dependencies").
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

/// <summary>The body of <c>POST /api/jobs/batch</c>: the jobs to submit together, all or none.</summary>
public sealed record SubmitBatchRequest(IReadOnlyList<SubmitJobRequest?>? Jobs)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>Where to read a job, its timeline and its live events, and where to cancel or retry it.</summary>
public sealed record JobLinks(string Self, string Timeline, string Events, string Cancel, string Retry);

/// <summary><c>replayed</c>: an idempotency key returned this earlier job; nothing new was submitted.</summary>
public sealed record SubmitJobResponse(Guid JobId, string Status, JobLinks Links, bool Replayed = false);

/// <summary>The jobs a batch submitted, in the order they were sent.</summary>
public sealed record SubmitBatchResponse(IReadOnlyList<SubmitJobResponse> Jobs);

/// <summary>
/// A job as the API shows it. <c>sequence</c> orders it against live updates; <c>scheduleId</c> is the schedule that
/// made it (null for a submit, or once the schedule is deleted). A job with dependencies shows them in
/// <c>dependsOn</c> (null otherwise, and in lists) and how many have not finished in <c>waitingFor</c>. A pending job
/// whose queue or type is paused in the workspace says so in <c>waitingReason</c> (<c>queue_paused</c>,
/// <c>type_paused</c>; null otherwise).
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
    int? WaitingFor = null,
    string? WaitingReason = null);

/// <summary>A page of jobs, newest first; <c>nextCursor</c> reads the older ones.</summary>
public sealed record JobListResponse(IReadOnlyList<JobResponse> Items, string? NextCursor);

/// <summary>Another job a job waits for, or that waits for it, with its current status.</summary>
public sealed record JobLinkResponse(Guid Id, string Type, string Status);

/// <summary>
/// What a job waits for: <c>waitingFor</c> of them have not finished; <c>onDependencyFailure</c> says what
/// a failed or cancelled one does to it.
/// </summary>
public sealed record JobDependenciesResponse(IReadOnlyList<JobLinkResponse> Items, int WaitingFor, string OnDependencyFailure);

/// <summary>A page of the jobs that wait for a job, oldest first.</summary>
public sealed record JobDependentsResponse(IReadOnlyList<JobLinkResponse> Items, string? NextCursor);

/// <summary>One timeline entry; <c>actor</c> says who asked for it (submit, cancel, retry), null for the engine.</summary>
public sealed record JobEventResponse(long Id, string Kind, string Status, string? Stage, int Attempt, string? Message, DateTimeOffset At, JobEventActor? Actor = null);

/// <summary>One entry of the catalog (<c>GET /api/job-types</c>): a type a client may submit and how to fill it in.</summary>
/// <param name="Name">The type's machine name, as a job's <c>type</c>.</param>
/// <param name="Description">What it does.</param>
/// <param name="Queue">The queue its jobs run on.</param>
/// <param name="PayloadSchema">The JSON Schema its payload must match.</param>
/// <param name="MaxAttempts">Attempts a job gets unless it asks for another number.</param>
/// <param name="TimeoutSeconds">How long an attempt may run unless the job asks otherwise.</param>
/// <param name="Bulk">Counts against the workspace's bulk jobs per hour per user.</param>
/// <param name="ItemsField">The payload's item list, at most the workspace's max_batch_items long.</param>
/// <param name="Display">The type's title, stage sentences and metric labels for people; null when its workers publish none.</param>
public sealed record JobTypeResponse(string Name, string Description, string Queue, JsonElement PayloadSchema, int MaxAttempts, int TimeoutSeconds, bool Bulk, string? ItemsField, JobTypeDisplay? Display);
