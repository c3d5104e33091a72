namespace Jobs.Worker.Handlers.Leads;

/// <summary>The payload of a <c>leads.discover</c> job; the catalog's schema has validated it at submit.</summary>
public sealed record LeadDiscoveryPayload(
    string BusinessType,
    string Location,
    int MaxResults = LeadDiscoveryPayload.DefaultMaxResults,
    int MinConfidenceScore = LeadDiscoveryPayload.DefaultMinConfidenceScore)
{
    public const int DefaultMaxResults = 20;
    public const int DefaultMinConfidenceScore = 50;
}
