using System.Text.Json;
using Jobs.Core.Engine;

namespace Jobs.Core.Workloads.Campaigns;

/// <summary>
/// A campaign as one attempt of its job found it, with its leads in rank order. <see cref="Lease"/> fences the write:
/// an attempt that lost its lease writes nothing.
/// </summary>
public sealed record CampaignUpsertParams(
    JobLease Lease,
    Guid WorkspaceId,
    string Name,
    string BusinessType,
    string Location,
    int MaxResults,
    int MinConfidence,
    string Source,
    JsonElement Stats,
    IReadOnlyList<LeadUpsertParams> Leads);
