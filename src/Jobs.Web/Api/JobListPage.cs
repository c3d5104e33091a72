namespace Jobs.Web.Api;

/// <summary>One page of <c>GET /api/jobs</c>, newest first; <see cref="NextCursor"/> asks for the following one.</summary>
public sealed record JobListPage(IReadOnlyList<JobView> Items, string? NextCursor);

/// <summary>What the jobs list shows: a status, a type, the jobs of one schedule; null shows all.</summary>
public sealed record JobListFilter(string? Status, string? Type, Guid? ScheduleId);
