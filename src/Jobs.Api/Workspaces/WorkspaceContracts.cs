using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Workspaces;

namespace Jobs.Api.Workspaces;

/// <summary>
/// The caller's workspace: its limits, the operator's ceilings on them, how much of them it uses now, and the caller's
/// role in it.
/// </summary>
public sealed record WorkspaceResponse(Guid Id, string Name, string Role, WorkspaceLimits Limits, WorkspaceLimitCeilings Ceilings, WorkspaceUsage Usage);

/// <summary>All six limits; each is required, so that a client cannot reset one by leaving it out.</summary>
public sealed record SetLimitsRequest(
    int? MaxConcurrentJobs,
    int? MaxBatchItems,
    int? BulkJobsPerHour,
    int? RequestsPerMinute,
    int? SubscribeBatchSize,
    int? SubscribeBatchPauseMs)
{
    /// <summary>Members the request does not define: refused, never ignored.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}
