using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Engine.Schedules;
using Jobs.Cron;

namespace Jobs.Api.Schedules;

/// <summary>
/// The body of <c>POST /api/schedules</c> and <c>PUT /api/schedules/{id}</c> (every field but the optional ones), and
/// of <c>PATCH</c> (any of them: what is missing keeps its value). The job fields are a submit's, validated alike.
/// Any other member lands in <see cref="Unknown"/> and is refused.
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

public sealed record ScheduleLinks(string Self, string Jobs, string Pause, string Resume, string Run);

/// <summary>
/// A schedule as the API shows it. <see cref="Description"/> is its expression in words; <see cref="NextRuns"/> its
/// next five ticks (none while paused); <see cref="LastJobId"/> the job of the latest tick.
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
    public const int NextRunCount = 5;

    public static ScheduleResponse From(Schedule schedule)
    {
        var d = schedule.Definition;
        var next = schedule.NextRunAt is { } at ? ScheduleCron.Parse(d.Cron, d.TimeZone).Occurrences(at, NextRunCount) : [];
        var id = schedule.Id;
        return new ScheduleResponse(
            id, d.Name, d.Cron, d.TimeZone, CronDescription.Describe(d.Cron, d.TimeZone), d.Type, d.Payload, d.Priority,
            d.MaxAttempts, d.TimeoutSeconds, d.MissedPolicy, schedule.Paused, schedule.NextRunAt, next, schedule.LastRunAt,
            schedule.LastJobId, schedule.UserId, schedule.CreatedAt, schedule.UpdatedAt,
            new ScheduleLinks($"/api/schedules/{id}", $"/api/jobs?scheduleId={id}", $"/api/schedules/{id}/pause",
                $"/api/schedules/{id}/resume", $"/api/schedules/{id}/run"));
    }
}

public sealed record ScheduleListResponse(IReadOnlyList<ScheduleResponse> Items, string? NextCursor);
