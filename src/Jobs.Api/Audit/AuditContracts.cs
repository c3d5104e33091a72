using System.Text.Json;
using Jobs.Core.Identity;

namespace Jobs.Api.Audit;

/// <summary>Who took part in an audited change: the user (their email as it was then) and the key or session they used.</summary>
public sealed record AuditParty(Guid? UserId, string? Email, Guid? ApiKeyId = null);

/// <summary>One entry of the audit trail: <see cref="Actor"/> did <see cref="Action"/> to <see cref="Target"/> at <see cref="At"/>.</summary>
public sealed record AuditEventResponse(long Id, string Action, AuditParty? Actor, AuditParty? Target, JsonElement Details, DateTimeOffset At)
{
    public static AuditEventResponse From(AuditEvent e) => new(
        e.Id,
        e.Action,
        e.ActorUserId is null && e.ActorEmail is null ? null : new AuditParty(e.ActorUserId, e.ActorEmail, e.ActorApiKeyId),
        e.TargetUserId is null && e.TargetEmail is null ? null : new AuditParty(e.TargetUserId, e.TargetEmail),
        e.Details,
        e.At);
}

public sealed record AuditEventListResponse(IReadOnlyList<AuditEventResponse> Items, string? NextCursor);
