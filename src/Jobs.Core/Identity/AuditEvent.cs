using System.Text.Json;

namespace Jobs.Core.Identity;

/// <summary>
/// One row of a workspace's audit trail: who (<see cref="ActorEmail"/>, with the key or session used) did
/// <see cref="Action"/> (<see cref="AuditActions"/>) to whom (<see cref="TargetEmail"/>), and when. The emails are as
/// they were at the time.
/// </summary>
public sealed record AuditEvent(
    long Id,
    string Action,
    Guid? ActorUserId,
    string? ActorEmail,
    Guid? ActorApiKeyId,
    Guid? TargetUserId,
    string? TargetEmail,
    JsonElement Details,
    DateTimeOffset At);
