namespace Jobs.Worker.Handlers.Leads;

/// <summary>A business as discovery found it: its search result and its details, each field null when it has none.</summary>
public sealed record Business(
    string PlaceId,
    string Name,
    string? Address,
    string? Phone,
    string? Website,
    double? Rating,
    int? ReviewsCount,
    bool HasOpeningHours,
    string? BusinessStatus)
{
    /// <summary>The website's host without <c>www.</c>, the domain an email finder searches; null without a usable website.</summary>
    public string? Domain =>
        Uri.TryCreate(Website, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0
            ? (uri.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? uri.Host[4..] : uri.Host).ToLowerInvariant()
            : null;
}
