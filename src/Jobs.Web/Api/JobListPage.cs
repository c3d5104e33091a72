namespace Jobs.Web.Api;

/// <summary>One page of <c>GET /api/jobs</c>, newest first; <see cref="NextCursor"/> asks for the following one.</summary>
public sealed record JobListPage(IReadOnlyList<JobView> Items, string? NextCursor);
