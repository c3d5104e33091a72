using System.Text.Json;

namespace Jobs.Core.Workloads.Campaigns;

/// <summary>A row of <c>campaigns</c>, written by the <c>leads.discover</c> handler.</summary>
public sealed record CampaignRow(
    Guid Id,
    Guid JobId,
    string Name,
    string BusinessType,
    string Location,
    int MaxResults,
    int MinConfidence,
    string Source,
    JsonElement Stats,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
