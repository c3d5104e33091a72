namespace Jobs.Core.Workspaces;

/// <summary>A row of <c>workspaces</c>, with its limits (DESIGN §8).</summary>
public sealed record Workspace(Guid Id, string Name, int MaxConcurrentJobs, int MaxBatchItems);
