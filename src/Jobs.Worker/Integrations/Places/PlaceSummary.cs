namespace Jobs.Worker.Integrations.Places;

/// <summary>One place a text search found. <see cref="Address"/> is null for service-area businesses that hide it.</summary>
public sealed record PlaceSummary(string PlaceId, string Name, string? Address);
