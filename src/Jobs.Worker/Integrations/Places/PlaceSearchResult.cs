namespace Jobs.Worker.Integrations.Places;

/// <summary>The places a text search found, how many (billed) requests it took, and what they cost in USD.</summary>
public sealed record PlaceSearchResult(IReadOnlyList<PlaceSummary> Places, int Requests, decimal Cost);
