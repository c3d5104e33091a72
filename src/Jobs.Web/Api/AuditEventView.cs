using System.Text.Json;

namespace Jobs.Web.Api;

/// <summary>One entry of <c>GET /api/audit</c>: <see cref="Actor"/> did <see cref="Action"/> to <see cref="Target"/>.</summary>
public sealed record AuditEventView(long Id, string Action, AuditPartyView? Actor, AuditPartyView? Target, JsonElement Details, DateTimeOffset At);
