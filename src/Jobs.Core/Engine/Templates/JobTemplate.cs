using System.Text.Json;

namespace Jobs.Core.Engine.Templates;

/// <summary>A row of <c>job_templates</c>: a job's configuration saved under a name (docs/design.md, "Templates").</summary>
public sealed record JobTemplate
{
    public required Guid Id { get; init; }
    public required Guid WorkspaceId { get; init; }

    /// <summary>Who saved it.</summary>
    public required Guid UserId { get; init; }

    public required JobTemplateDefinition Definition { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// What a template holds: its name (unique in the workspace) and a submit's fields, validated like a submit's.
/// A null <see cref="MaxAttempts"/> or <see cref="TimeoutSeconds"/> takes the job type's default when a job starts.
/// </summary>
public sealed record JobTemplateDefinition(
    string Name,
    string Type,
    JsonElement Payload,
    short Priority,
    int? MaxAttempts,
    int? TimeoutSeconds);
