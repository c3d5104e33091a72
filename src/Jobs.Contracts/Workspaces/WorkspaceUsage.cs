namespace Jobs.Contracts.Workspaces;

/// <summary>How much of its limits a workspace uses now: jobs running and jobs waiting.</summary>
public sealed record WorkspaceUsage(long Processing, long Pending);
