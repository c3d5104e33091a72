namespace Jobs.Core.Workloads.Campaigns;

/// <summary>A row of <c>leads</c>. <see cref="Cost"/> is in USD.</summary>
public sealed record LeadRow(
    Guid Id,
    string PlaceId,
    int Rank,
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
