using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobs.Web.Api;

/// <summary>
/// A job template as <c>GET /api/templates/{id}</c> shows it; a null <see cref="MaxAttempts"/> or
/// <see cref="TimeoutSeconds"/> is the job type's default.
/// </summary>
public sealed record TemplateView(
    Guid Id,
    string Name,
    string Type,
    JsonElement Payload,
    int Priority,
    int? MaxAttempts,
    int? TimeoutSeconds,
    Guid CreatedBy,
    DateTimeOffset CreatedAt);

/// <summary>One page of <c>GET /api/templates</c>, newest first.</summary>
public sealed record TemplateListPage(IReadOnlyList<TemplateView> Items, string? NextCursor);

/// <summary>
/// What the New job form sends, to submit a job or to save it as a template: the options left null take the job
/// type's defaults.
/// </summary>
public sealed record JobInput(
    string Type, JsonObject Payload, int? Priority = null, int? MaxAttempts = null, int? TimeoutSeconds = null, IReadOnlyList<string>? DependsOn = null);
