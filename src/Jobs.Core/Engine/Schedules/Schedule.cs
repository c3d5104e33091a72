using System.Text.Json;

namespace Jobs.Core.Engine.Schedules;

/// <summary>A row of <c>schedules</c>: a job made on every tick of a cron expression (docs/design.md, "Schedules").</summary>
public sealed record Schedule
{
    public required Guid Id { get; init; }
    public required Guid WorkspaceId { get; init; }

    /// <summary>Who made it (or took it over); its jobs are submitted as this user.</summary>
    public required Guid UserId { get; init; }

    /// <summary>
    /// Its owner was removed from the workspace: it fires no more until a member edits or resumes it, who then owns it.
    /// </summary>
    public bool OwnerRemoved { get; init; }

    public required ScheduleDefinition Definition { get; init; }
    public bool Paused { get; init; }

    /// <summary>The next tick to fire; null while paused or when the expression has no occurrence left.</summary>
    public DateTimeOffset? NextRunAt { get; init; }

    /// <summary>The latest tick fired (a run now is not a tick).</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>The job of <see cref="LastRunAt"/>'s tick (it may since have been deleted by retention).</summary>
    public Guid? LastJobId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>
/// What a user sets on a schedule: its name (unique in the workspace), when it fires, and the job it makes (validated
/// like a submit's).
/// </summary>
public sealed record ScheduleDefinition(
    string Name,
    string Cron,
    string TimeZone,
    string Type,
    JsonElement Payload,
    short Priority,
    int MaxAttempts,
    int TimeoutSeconds,
    string MissedPolicy);
