namespace Jobs.Worker.Integrations.Places;

/// <summary>A search for businesses of a type in a location, such as "plumbers" in "Austin, TX".</summary>
public sealed record PlaceQuery(string BusinessType, string Location, int MaxResults)
{
    /// <summary>The query as a person would type it into a map.</summary>
    public string Text => $"{BusinessType.Trim()} in {Location.Trim()}";
}
