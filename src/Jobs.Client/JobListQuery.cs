namespace Jobs.Client;

/// <summary>
/// Which jobs a list reads (<c>GET /api/jobs</c>); a null member does not filter. <see cref="ScheduleId"/> selects the
/// jobs one schedule made.
/// </summary>
public sealed record JobListQuery(string? Status = null, string? Type = null, Guid? ScheduleId = null);
