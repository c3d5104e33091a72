using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Engine.Templates;

namespace Jobs.Api.Templates;

/// <summary>
/// The body of <c>POST /api/templates</c>: a name and a submit's fields, validated like a submit. Any other member
/// lands in <see cref="Unknown"/> and is refused.
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

public sealed record TemplateLinks(string Self);

/// <summary>
/// A template as the API shows it. A null <see cref="MaxAttempts"/> or <see cref="TimeoutSeconds"/> means the job
/// type's default when a job is started from it.
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
    TemplateLinks Links)
{
    public static TemplateResponse From(JobTemplate template)
    {
        var d = template.Definition;
        return new TemplateResponse(
            template.Id, d.Name, d.Type, d.Payload, d.Priority, d.MaxAttempts, d.TimeoutSeconds, template.UserId, template.CreatedAt,
            new TemplateLinks($"/api/templates/{template.Id}"));
    }
}

public sealed record TemplateListResponse(IReadOnlyList<TemplateResponse> Items, string? NextCursor);
