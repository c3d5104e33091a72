using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Contracts.Workspaces;

/// <summary>
/// The caller's workspace: its limits, the operator's ceilings on them, how much of them it uses now, the caller's
/// role in it, and its file storage (bytes used and its quota, which the operator sets).
/// </summary>
public sealed record WorkspaceResponse(
    Guid Id, string Name, string Role, WorkspaceLimits Limits, WorkspaceLimitCeilings Ceilings, WorkspaceUsage Usage, StorageUsage Storage);

/// <summary>
/// All six limits; each is required, so that a client cannot reset one by leaving it out. Any other member is refused, the storage quota included: it is the operator's to set.
/// </summary>
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
