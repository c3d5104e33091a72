using System.Text.Json;
using Jobs.Core.Engine.Catalog;

namespace Jobs.Web.Api;

/// <summary>
/// One entry of the catalog, <c>GET /api/job-types</c>; the new-job form is generated from its schema, and every page
/// names jobs with its <see cref="Display"/>.
/// </summary>
/// <param name="Bulk">Counts against the user's bulk jobs per hour.</param>
public sealed record JobTypeView(
    string Name,
    string Description,
    string Queue,
    JsonElement PayloadSchema,
    int MaxAttempts,
    int TimeoutSeconds,
    JobTypeDisplay? Display = null,
    bool Bulk = false)
{
    /// <summary>The type's name for people ("Lead discovery"), or its machine name when its workers publish none.</summary>
    public string Title => Display?.Title ?? Name;

    /// <summary>Destroys data for good (<see cref="SchemaKeywords.Destructive"/>): the form asks first and never offers it first.</summary>
    public bool Destructive =>
        PayloadSchema.ValueKind == JsonValueKind.Object
        && PayloadSchema.TryGetProperty(SchemaKeywords.Destructive, out var destructive)
        && destructive.ValueKind == JsonValueKind.True;
}
