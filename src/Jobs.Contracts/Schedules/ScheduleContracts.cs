using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Contracts.Schedules;

/// <summary>
/// The body of <c>POST /api/schedules</c> and <c>PUT /api/schedules/{id}</c> (every field but the optional ones), and
/// of <c>PATCH</c> (any of them: what is missing keeps its value). The job fields are a submit's, validated alike.
/// Any other member is refused.
/// </summary>
public sealed record ScheduleRequest(
    string? Name = null,
    string? Cron = null,
    string? TimeZone = null,
    string? Type = null,
    JsonElement? Payload = null,
    int? Priority = null,
    int? MaxAttempts = null,
    int? TimeoutSeconds = null,
    string? MissedPolicy = null,
    bool? Paused = null)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>Where to read a schedule and its jobs, and where to pause, resume or run it.</summary>
public sealed record ScheduleLinks(string Self, string Jobs, string Pause, string Resume, string Run);

/// <summary>
/// A schedule as the API shows it. <c>description</c> is its expression in words; <c>nextRuns</c> its next five
/// ticks (none while paused); <c>lastJobId</c> the job of the latest tick.
/// </summary>
public sealed record ScheduleResponse(
    Guid Id,
    string Name,
    string Cron,
    string TimeZone,
    string Description,
    string Type,
    JsonElement Payload,
    int Priority,
    int MaxAttempts,
    int TimeoutSeconds,
    string MissedPolicy,
    bool Paused,
    DateTimeOffset? NextRunAt,
    IReadOnlyList<DateTimeOffset> NextRuns,
    DateTimeOffset? LastRunAt,
    Guid? LastJobId,
    Guid CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    ScheduleLinks Links)
{
    /// <summary>How many ticks <c>nextRuns</c> holds.</summary>
    public const int NextRunCount = 5;

    /// <summary>
    /// Why a running schedule fires no more, or null: <c>owner_removed</c> when the member it runs as was removed from
    /// the workspace; a member who edits or resumes it takes it over.
    /// </summary>
    public string? StoppedReason { get; init; }
}

/// <summary>A page of schedules, newest first; <c>nextCursor</c> reads the older ones.</summary>
public sealed record ScheduleListResponse(IReadOnlyList<ScheduleResponse> Items, string? NextCursor);
