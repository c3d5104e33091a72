using System.Text.Json.Nodes;

namespace Jobs.Core.Catalog;

/// <summary>
/// A job type as the catalog shows it: its payload contract (a JSON Schema, the subset
/// <see cref="PayloadValidator"/> understands), its queue and its defaults. Workers publish the types they run.
/// </summary>
public sealed record JobTypeDefinition(
    string Name,
    string Description,
    string Queue,
    JsonObject PayloadSchema,
    int MaxAttempts,
    int TimeoutSeconds);
