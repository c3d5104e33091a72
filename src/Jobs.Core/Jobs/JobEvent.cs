namespace Jobs.Core.Jobs;

/// <summary>A row of <c>job_events</c>: one transition or stage change, the timeline the UI shows.</summary>
public sealed record JobEvent(long Id, Guid JobId, string Kind, string Status, string? Stage, int Attempt, string? Message, DateTimeOffset CreatedAt);
