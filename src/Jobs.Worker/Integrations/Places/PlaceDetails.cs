namespace Jobs.Worker.Integrations.Places;

/// <summary>
/// The details of one place: each field null when the place has none. <see cref="BusinessStatus"/> uses the Places
/// API's values (<c>OPERATIONAL</c>, <c>CLOSED_TEMPORARILY</c>, <c>CLOSED_PERMANENTLY</c>). <see cref="Cost"/> is
/// what the request cost in USD.
/// </summary>
public sealed record PlaceDetails(
    string PlaceId,
    string? Phone,
    string? Website,
    double? Rating,
    int? ReviewsCount,
    bool HasOpeningHours,
    string? BusinessStatus,
    decimal Cost)
{
    public const string Operational = "OPERATIONAL";
    public const string ClosedTemporarily = "CLOSED_TEMPORARILY";
    public const string ClosedPermanently = "CLOSED_PERMANENTLY";
}
