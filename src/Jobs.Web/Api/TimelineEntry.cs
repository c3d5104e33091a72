using Jobs.Core.Engine;

namespace Jobs.Web.Api;

/// <summary>
/// One entry of <c>GET /api/jobs/{id}/timeline</c>: a transition or a stage change, and who asked for it when a
/// person did (submit, cancel, retry).
/// </summary>
public sealed record TimelineEntry(long Id, string Kind, string Status, string? Stage, int Attempt, string? Message, DateTimeOffset At, JobEventActor? Actor = null);
