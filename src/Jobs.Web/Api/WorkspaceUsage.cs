namespace Jobs.Web.Api;

/// <summary>The workspace's jobs now: how many run and how many wait.</summary>
public sealed record WorkspaceUsage(long Processing, long Pending);
