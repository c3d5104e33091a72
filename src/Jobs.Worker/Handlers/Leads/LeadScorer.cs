using Jobs.Worker.Integrations.Places;

namespace Jobs.Worker.Handlers.Leads;

/// <summary>
/// How confident we are that a business is a real, reachable lead (0–100), from what its listing has: ways to reach it
/// (website 25, phone 20, address 10), signs that it is alive and cared for (opening hours 10, operational 5), and its
/// reputation (rating up to 15 in proportion to the stars, reviews up to 15 on a log scale that is full at 500).
/// A permanently closed business scores 0 whatever else it has.
/// </summary>
public static class LeadScorer
{
    public const int WebsitePoints = 25;
    public const int PhonePoints = 20;
    public const int AddressPoints = 10;
    public const int OpeningHoursPoints = 10;
    public const int OperationalPoints = 5;
    public const int RatingPoints = 15;
    public const int ReviewsPoints = 15;

    /// <summary>Reviews beyond this many add nothing: 500 reviews say no more about being real than 5,000.</summary>
    public const int ReviewsForFullPoints = 500;

    public static int Score(Business business)
    {
        if (business.BusinessStatus == PlaceDetails.ClosedPermanently)
        {
            return 0;
        }

        double score = 0;
        score += business.Website is not null ? WebsitePoints : 0;
        score += business.Phone is not null ? PhonePoints : 0;
        score += business.Address is not null ? AddressPoints : 0;
        score += business.HasOpeningHours ? OpeningHoursPoints : 0;
        score += business.BusinessStatus == PlaceDetails.Operational ? OperationalPoints : 0;
        if (business.Rating is { } rating)
        {
            score += Math.Clamp(rating, 0, 5) / 5 * RatingPoints;
        }

        if (business.ReviewsCount is { } reviews && reviews > 0)
        {
            score += Math.Min(1, Math.Log10(1 + reviews) / Math.Log10(1 + ReviewsForFullPoints)) * ReviewsPoints;
        }

        return Math.Clamp((int)Math.Round(score, MidpointRounding.AwayFromZero), 0, 100);
    }

    /// <summary>
    /// The leads among <paramref name="businesses"/>: scored, those under <paramref name="minConfidence"/> dropped,
    /// best first (ties: more reviews, then name, then place id, so the order is stable), at most
    /// <paramref name="maxResults"/>.
    /// </summary>
    public static IReadOnlyList<ScoredBusiness> Rank(IEnumerable<Business> businesses, int minConfidence, int maxResults) =>
        businesses
            .Select(b => new ScoredBusiness(b, Score(b)))
            .Where(s => s.Confidence >= minConfidence)
            .OrderByDescending(s => s.Confidence)
            .ThenByDescending(s => s.Business.ReviewsCount ?? 0)
            .ThenBy(s => s.Business.Name, StringComparer.Ordinal)
            .ThenBy(s => s.Business.PlaceId, StringComparer.Ordinal)
            .Take(maxResults)
            .ToList();
}
