using System.Text.Json;

namespace Jobs.Contracts.Audit;

/// <summary>Who took part in an audited change: the user (their email as it was then) and the key or session they used.</summary>
public sealed record AuditParty(Guid? UserId, string? Email, Guid? ApiKeyId = null);

/// <summary>One entry of the audit trail: <c>actor</c> did <c>action</c> to <c>target</c> at <c>at</c>.</summary>
public sealed record AuditEventResponse(long Id, string Action, AuditParty? Actor, AuditParty? Target, JsonElement Details, DateTimeOffset At);

/// <summary>A page of the audit trail, newest first; <c>nextCursor</c> reads the older entries.</summary>
public sealed record AuditEventListResponse(IReadOnlyList<AuditEventResponse> Items, string? NextCursor);
