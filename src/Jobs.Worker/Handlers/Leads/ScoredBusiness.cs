namespace Jobs.Worker.Handlers.Leads;

/// <summary>A business with its confidence score (0–100).</summary>
public sealed record ScoredBusiness(Business Business, int Confidence);
