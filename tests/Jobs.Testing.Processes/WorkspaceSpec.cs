namespace Jobs.Testing.Processes;

/// <summary>A workspace that <see cref="ProcessCluster.WorkspaceCreateAsync"/> makes: one admin, one API key; a null limit keeps the column's default.</summary>
public sealed record WorkspaceSpec(Guid Id, string Name, string ApiKey)
{
    public int? MaxConcurrentJobs { get; init; }

    public int? RequestsPerMinute { get; init; }
}
