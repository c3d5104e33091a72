namespace Jobs.Web.Api;

/// <summary>The 202 answer to <c>POST /api/jobs</c>.</summary>
public sealed record SubmittedJob(Guid JobId, string Status);
