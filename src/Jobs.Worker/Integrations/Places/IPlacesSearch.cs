namespace Jobs.Worker.Integrations.Places;

/// <summary>
/// Finds businesses: a text search for candidates, then the details of each. Implementations: Google Places API (New)
/// and a deterministic simulation (the default).
/// </summary>
public interface IPlacesSearch
{
    /// <summary>What results are labelled with: <c>simulated</c>, or the real provider's name.</summary>
    string Source { get; }

    /// <summary>Up to <see cref="PlaceQuery.MaxResults"/> places matching the query, paging as needed.</summary>
    Task<PlaceSearchResult> SearchTextAsync(PlaceQuery query, CancellationToken cancellationToken);

    /// <summary>Contact and reputation details of one place found by <see cref="SearchTextAsync"/>.</summary>
    Task<PlaceDetails> GetDetailsAsync(string placeId, CancellationToken cancellationToken);
}
