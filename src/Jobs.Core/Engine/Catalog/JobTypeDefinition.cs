using System.Text.Json.Nodes;
using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Catalog;

/// <summary>
/// A job type as the catalog shows it: its payload contract (a JSON Schema, the subset
/// <see cref="PayloadValidator"/> understands), its queue and its defaults. Workers publish the types they run; each
/// is declared beside its handler and built by <see cref="Declarations.JobTypeDeclaration"/>.
/// </summary>
public sealed record JobTypeDefinition(
    string Name,
    string Description,
    string Queue,
    JsonObject PayloadSchema,
    int MaxAttempts,
    int TimeoutSeconds)
{
    /// <summary>
    /// A bulk job works on many records at once; each one submitted counts against the workspace's
    /// <c>bulk_jobs_per_hour</c> for the submitting user (docs/design.md, "Admission, limits and fairness"). The one
    /// place that says which types are bulk.
    /// </summary>
    public bool Bulk { get; init; }

    /// <summary>The payload's top-level array of items, whose length the workspace's <c>max_batch_items</c> caps.</summary>
    public string? ItemsField { get; init; }

    /// <summary>Its title, stage sentences and metric labels for people; null for a type that publishes none.</summary>
    public JobTypeDisplay? Display { get; init; }
}
