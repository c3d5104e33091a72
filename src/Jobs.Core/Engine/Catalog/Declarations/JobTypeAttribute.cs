namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// Declares a job type on its handler class: its name, its catalog entry's defaults and its title. The payload's
/// contract comes from the handler's payload record (<see cref="PayloadSchemaGenerator"/>); its stages and metrics from
/// <see cref="JobStageAttribute"/> and <see cref="JobMetricAttribute"/> beside this one. Read by
/// <see cref="JobTypeDeclaration"/>.
/// </summary>
/// <param name="name">The type as clients submit it (<c>leads.discover</c>): a contract, never renamed.</param>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class JobTypeAttribute(string name) : Attribute
{
    public string Name { get; } = name;

    /// <summary>What the type does, for API clients (<c>GET /api/job-types</c>). Required.</summary>
    public string Description { get; set; } = "";

    /// <summary>The stream its jobs are hinted on.</summary>
    public string Queue { get; set; } = "default";

    /// <summary>Attempts a job gets unless its submission says otherwise. Required: at least 1.</summary>
    public int MaxAttempts { get; set; }

    /// <summary>How long one attempt may run unless its submission says otherwise. Required: at least 1.</summary>
    public int TimeoutSeconds { get; set; }

    /// <summary>
    /// Works on many records at once, so it counts against <c>bulk_jobs_per_hour</c>
    /// (<see cref="JobTypeDefinition.Bulk"/>). A payload with a <see cref="BatchItemsAttribute"/> list must be bulk.
    /// </summary>
    public bool Bulk { get; set; }

    /// <summary>The type's name for people ("Lead discovery"); without it the type publishes no display.</summary>
    public string? Title { get; set; }

    /// <summary>What processed and total items count ("contacts"), unless a stage says otherwise.</summary>
    public string? Items { get; set; }
}
