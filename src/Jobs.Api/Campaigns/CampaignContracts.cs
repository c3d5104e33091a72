using System.Text.Json;
using Jobs.Core.Workloads.Campaigns;

namespace Jobs.Api.Campaigns;

public sealed record CampaignLinks(string Self, string LeadsCsv, string Job);

/// <summary>
/// A campaign as the list shows it. <see cref="Source"/> is <c>simulated</c> when its data came from the simulated
/// services; <see cref="Stats"/> holds businessesFound, qualifiedLeads, leadsEnriched, totalCost (USD),
/// avgConfidence, emailStatuses and providers.
/// </summary>
public sealed record CampaignSummaryResponse(
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
    DateTimeOffset UpdatedAt,
    CampaignLinks Links)
{
    public static CampaignSummaryResponse From(CampaignRow c) => new(
        c.Id, c.JobId, c.Name, c.BusinessType, c.Location, c.MaxResults, c.MinConfidence, c.Source, c.Stats, c.CreatedAt,
        c.UpdatedAt, LinksFor(c));

    public static CampaignLinks LinksFor(CampaignRow c) =>
        new($"/api/campaigns/{c.Id}", $"/api/campaigns/{c.Id}/leads.csv", $"/api/jobs/{c.JobId}");
}

public sealed record CampaignListResponse(IReadOnlyList<CampaignSummaryResponse> Items, string? NextCursor);

/// <summary>One campaign with its leads, the most confident first.</summary>
public sealed record CampaignResponse(
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
    DateTimeOffset UpdatedAt,
    CampaignLinks Links,
    IReadOnlyList<LeadResponse> Leads)
{
    public static CampaignResponse From(CampaignRow c, IReadOnlyList<LeadRow> leads) => new(
        c.Id, c.JobId, c.Name, c.BusinessType, c.Location, c.MaxResults, c.MinConfidence, c.Source, c.Stats, c.CreatedAt,
        c.UpdatedAt, CampaignSummaryResponse.LinksFor(c), leads.Select(LeadResponse.From).ToList());
}

/// <summary>A lead. <see cref="Confidence"/> is 0–100; <see cref="EmailStatus"/> deliverable, risky or undeliverable; <see cref="Cost"/> in USD.</summary>
public sealed record LeadResponse(
    Guid Id,
    int Rank,
    string PlaceId,
    string BusinessName,
    string? Address,
    string? Phone,
    string? Website,
    decimal? Rating,
    int? ReviewsCount,
    bool HasOpeningHours,
    string? BusinessStatus,
    int Confidence,
    string? Email,
    int? EmailConfidence,
    string? EmailStatus,
    decimal Cost,
    string Source)
{
    public static LeadResponse From(LeadRow l) => new(
        l.Id, l.Rank, l.PlaceId, l.BusinessName, l.Address, l.Phone, l.Website, l.Rating, l.ReviewsCount, l.HasOpeningHours,
        l.BusinessStatus, l.Confidence, l.Email, l.EmailConfidence, l.EmailStatus, l.Cost, l.Source);
}
