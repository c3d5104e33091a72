namespace Jobs.Core.Workloads.Campaigns;

/// <summary>One lead of a campaign; (campaign, <see cref="PlaceId"/>) identifies it across reruns.</summary>
public sealed record LeadUpsertParams(
    int Rank,
    string PlaceId,
    string BusinessName,
    string? Address,
    string? Phone,
    string? Website,
    double? Rating,
    int? ReviewsCount,
    bool HasOpeningHours,
    string? BusinessStatus,
    int Confidence,
    string? Email,
    int? EmailConfidence,
    string? EmailStatus,
    decimal Cost,
    string Source);
