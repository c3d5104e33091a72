using System.Text.Json;

namespace Jobs.Web.Api;

/// <summary>
/// A schedule as <c>GET /api/schedules/{id}</c> shows it: <see cref="Description"/> is its expression in words,
/// <see cref="NextRuns"/> its next five ticks (none while paused), <see cref="LastJobId"/> the job of its latest tick.
/// </summary>
public sealed record ScheduleView(
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
    DateTimeOffset UpdatedAt);

/// <summary>One page of <c>GET /api/schedules</c>, newest first.</summary>
public sealed record ScheduleListPage(IReadOnlyList<ScheduleView> Items, string? NextCursor);

/// <summary>What the schedule form sends to create or replace a schedule.</summary>
public sealed record ScheduleInput(
    string Name, string Cron, string TimeZone, string Type, System.Text.Json.Nodes.JsonObject Payload, int? Priority, string MissedPolicy);
