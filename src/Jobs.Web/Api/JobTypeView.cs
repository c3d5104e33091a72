using System.Text.Json;

namespace Jobs.Web.Api;

/// <summary>One entry of the catalog, <c>GET /api/job-types</c>; the new-job form is generated from its schema.</summary>
public sealed record JobTypeView(string Name, string Description, string Queue, JsonElement PayloadSchema, int MaxAttempts, int TimeoutSeconds);
