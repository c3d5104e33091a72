using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Contracts.Templates;

/// <summary>
/// The body of <c>POST /api/templates</c>: a name and a submit's fields, validated like a submit. Any other member is
/// refused.
/// </summary>
public sealed record TemplateRequest(
    string? Name = null,
    string? Type = null,
    JsonElement? Payload = null,
    int? Priority = null,
    int? MaxAttempts = null,
    int? TimeoutSeconds = null)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>Where to read or delete a template.</summary>
public sealed record TemplateLinks(string Self);

/// <summary>
/// A template as the API shows it. A null <c>maxAttempts</c> or <c>timeoutSeconds</c> means the job type's default
/// when a job is started from it.
/// </summary>
public sealed record TemplateResponse(
    Guid Id,
    string Name,
    string Type,
    JsonElement Payload,
    int Priority,
    int? MaxAttempts,
    int? TimeoutSeconds,
    Guid CreatedBy,
    DateTimeOffset CreatedAt,
    TemplateLinks Links);

/// <summary>A page of templates, newest first; <c>nextCursor</c> reads the older ones.</summary>
public sealed record TemplateListResponse(IReadOnlyList<TemplateResponse> Items, string? NextCursor);
