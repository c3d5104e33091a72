using System.Globalization;
using System.Text;
using Jobs.Core.Engine;
using Jobs.Worker.Integrations.Simulation;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Integrations.Places;

/// <summary>
/// Fake businesses, the same ones for the same business type and location every time: a market of 25 to 60 of them,
/// with the field coverage real listings have (most have a phone, fewer a website, some no rating or hours, a few are
/// closed), so that confidence varies as it would. Names and place ids are readable (<c>sim_oakwood-plumbers_3f9a1c22</c>);
/// websites use the reserved <c>.example</c> domain, phones the fictional 555-01xx range. Latencies and prices are
/// the configured ones.
/// </summary>
internal sealed class SimulatedPlacesSearch(IOptions<SimulationOptions> simulation, IOptions<IntegrationPrices> prices, TimeProvider time)
    : IPlacesSearch
{
    private const string IdPrefix = "sim_";

    private static readonly string[] Prefixes =
    [
        "Oakwood", "Summit", "Riverside", "Blue Ridge", "Evergreen", "Liberty", "Pioneer", "Harbor", "Cedar", "Maple Leaf",
        "Northside", "Sunrise", "Ironwood", "Silver Lake", "Redstone", "Greenfield", "Lakeshore", "Brightway", "Keystone",
        "Westgate", "Miller", "Garcia", "Nguyen", "Patel", "Johnson", "O'Brien", "Kowalski", "Rossi", "Andersen", "Okafor",
    ];

    private static readonly string[] Suffixes = ["", "", " Co.", " & Sons", " Group", " Pros", " Services", " LLC", " Experts", " Studio"];

    private static readonly string[] Streets =
    [
        "Main", "Oak", "Pine", "Maple", "Cedar", "Elm", "Washington", "Lake", "Hill", "Park", "Sunset", "Highland", "River", "Mill",
    ];

    private static readonly string[] StreetTypes = ["St", "Ave", "Blvd", "Rd", "Ln", "Dr"];

    private readonly SimulationOptions settings = simulation.Value;

    public string Source => IntegrationProvider.Simulated;

    public async Task<PlaceSearchResult> SearchTextAsync(PlaceQuery query, CancellationToken cancellationToken)
    {
        var market = SimulatedRandom.For("places", query.BusinessType, query.Location);
        var size = market.Next(25, 61);
        var count = Math.Min(size, query.MaxResults);
        var requests = Math.Max(1, (count + GooglePlacesSearch.MaxPageSize - 1) / GooglePlacesSearch.MaxPageSize);
        // Latencies draw from their own sequence, so that the businesses do not depend on how many pages were read.
        var latency = SimulatedRandom.For("latency", query.BusinessType, query.Location);
        for (var page = 0; page < requests; page++)
        {
            await SimulatedDelay.WaitAsync(latency.Latency(settings.TextSearchLatency), time, cancellationToken);
        }

        var kind = TitleCase(query.BusinessType);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var places = new List<PlaceSummary>(count);
        for (var i = 0; i < count; i++)
        {
            var name = $"{market.Pick(Prefixes)} {kind}{market.Pick(Suffixes)}";
            for (var extra = 2; !names.Add(name); extra++)
            {
                name = $"{market.Pick(Prefixes)} {kind}{market.Pick(Suffixes)} {extra}";
            }

            var id = $"{IdPrefix}{Slug(name)}_{market.NextUInt64() & 0xFFFFFFFF:x8}";
            // Service-area businesses (a plumber working from home) hide their address.
            var address = market.Chance(0.92)
                ? $"{market.Next(10, 9900)} {market.Pick(Streets)} {market.Pick(StreetTypes)}, {query.Location.Trim()}"
                : null;
            places.Add(new PlaceSummary(id, name, address));
        }

        return new PlaceSearchResult(places, requests, requests * prices.Value.PlacesTextSearch);
    }

    public async Task<PlaceDetails> GetDetailsAsync(string placeId, CancellationToken cancellationToken)
    {
        var separator = placeId.LastIndexOf('_');
        if (!placeId.StartsWith(IdPrefix, StringComparison.Ordinal) || separator <= IdPrefix.Length)
        {
            throw new NonRetryableJobException($"'{placeId}' is not a place id of the simulated places search.");
        }

        var slug = placeId[IdPrefix.Length..separator];
        var place = SimulatedRandom.For("details", placeId);
        await SimulatedDelay.WaitAsync(place.Latency(settings.DetailsLatency), time, cancellationToken);

        var status = place.NextDouble() switch
        {
            < 0.90 => PlaceDetails.Operational,
            < 0.96 => PlaceDetails.ClosedTemporarily,
            _ => PlaceDetails.ClosedPermanently,
        };
        var phone = place.Chance(0.85) ? $"({place.Next(201, 990)}) 555-01{place.Next(0, 100):D2}" : null;
        var website = place.Chance(0.70) ? $"https://www.{slug}.example/" : null;
        double? rating = null;
        int? reviews = null;
        if (place.Chance(0.82))
        {
            rating = Math.Round(2.8 + place.NextDouble() * 2.2, 1);
            // Review counts spread over orders of magnitude, as on real listings: 1 to about 660.
            reviews = (int)Math.Round(Math.Exp(place.NextDouble() * 6.5));
        }

        var hasHours = place.Chance(0.75);
        return new PlaceDetails(placeId, phone, website, rating, reviews, hasHours, status, prices.Value.PlacesDetails);
    }

    private static string TitleCase(string text) =>
        CultureInfo.InvariantCulture.TextInfo.ToTitleCase(text.Trim().ToLowerInvariant());

    /// <summary>Lower-case ASCII letters and digits separated by single dashes, at most 40 characters.</summary>
    internal static string Slug(string text)
    {
        var slug = new StringBuilder(text.Length);
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z' or >= '0' and <= '9')
            {
                slug.Append(c);
            }
            else if (c != '\'' && slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var result = slug.ToString().Trim('-');
        if (result.Length > 40)
        {
            result = result[..40].TrimEnd('-');
        }

        return result.Length == 0 ? "business" : result;
    }
}
