namespace Jobs.Core.Workspaces;

/// <summary>Who is calling: the workspace every query is scoped to (DESIGN §8) and the user acting in it.</summary>
public sealed record Caller(Guid WorkspaceId, Guid UserId);
