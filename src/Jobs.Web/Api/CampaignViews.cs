using System.Text.Json;

namespace Jobs.Web.Api;

/// <summary>A campaign as <c>GET /api/campaigns</c> lists it; <see cref="Stats"/> holds totalCost (USD), qualifiedLeads and more.</summary>
public sealed record CampaignSummaryView(
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

public sealed record CampaignListPage(IReadOnlyList<CampaignSummaryView> Items, string? NextCursor);

/// <summary>One campaign with its leads, the most confident first.</summary>
public sealed record CampaignView(
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
    IReadOnlyList<LeadView> Leads);

/// <summary>A lead: <see cref="Confidence"/> 0–100, <see cref="Cost"/> in USD.</summary>
public sealed record LeadView(
    Guid Id,
    int Rank,
    string BusinessName,
    string? Address,
    string? Phone,
    string? Website,
    decimal? Rating,
    int? ReviewsCount,
    int Confidence,
    string? Email,
    int? EmailConfidence,
    string? EmailStatus,
    decimal Cost,
    string Source);

/// <summary>A contact as <c>GET /api/contacts</c> lists it.</summary>
public sealed record ContactView(
    Guid Id,
    string Email,
    string? FirstName,
    string? LastName,
    string? Company,
    string? Phone,
    bool OptedOut,
    bool DoNotContact,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt);

public sealed record ContactListPage(IReadOnlyList<ContactView> Items, string? NextCursor);

public sealed record SequenceView(Guid Id, string Name, long EnrolledCount);

public sealed record SequenceListPage(IReadOnlyList<SequenceView> Items);

public sealed record UploadView(Guid UploadId, string Name, long Size);

/// <summary>What the contacts page filters on; null fields do not filter.</summary>
public sealed record ContactFilters(string? Tag, string? Search, bool? OptedOut, bool? DoNotContact);
