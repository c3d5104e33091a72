using System.Text.Json;

namespace Jobs.Contracts.Campaigns;

/// <summary>Where to read a campaign, its leads as CSV, and the job that made it.</summary>
public sealed record CampaignLinks(string Self, string LeadsCsv, string Job);

/// <summary>
/// A campaign as the list shows it. <c>source</c> is <c>simulated</c> when its data came from the simulated
/// services; <c>stats</c> holds businessesFound, qualifiedLeads, leadsEnriched, totalCost (USD),
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
    CampaignLinks Links);

/// <summary>A page of campaigns, newest first; <c>nextCursor</c> reads the older ones.</summary>
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
    IReadOnlyList<LeadResponse> Leads);

/// <summary>A lead. <c>confidence</c> is 0–100; <c>emailStatus</c> deliverable, risky or undeliverable; <c>cost</c> in USD.</summary>
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
    string Source);
