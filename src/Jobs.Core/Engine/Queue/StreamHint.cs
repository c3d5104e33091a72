namespace Jobs.Core.Engine.Queue;

/// <summary>A stream entry as a worker reads it: the entry id to acknowledge, the job it hints at, its trace context.</summary>
public sealed record StreamHint(string Queue, string EntryId, Guid JobId, string? TraceParent, string? TraceState);
