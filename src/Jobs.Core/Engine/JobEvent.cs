using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine;

/// <summary>
/// A row of <c>job_events</c>: one transition or stage change, the timeline the UI shows. <see cref="Actor"/> says
/// who asked for it; it is null for what the engine did on its own (start, progress, completion, rescue).
/// </summary>
public sealed record JobEvent(
    long Id,
    Guid JobId,
    string Kind,
    string Status,
    string? Stage,
    int Attempt,
    string? Message,
    DateTimeOffset CreatedAt,
    JobEventActor? Actor = null);
