namespace Jobs.Worker.Handlers.Leads;

/// <summary>
/// The result stored on a <c>leads.discover</c> job. <see cref="TotalCost"/> is in USD; <see cref="Source"/> is
/// <c>simulated</c> when every service was simulated, <c>live</c> when none was, <c>mixed</c> otherwise.
/// </summary>
public sealed record LeadDiscoveryResult(
    Guid CampaignId,
    int BusinessesFound,
    int QualifiedLeads,
    int LeadsEnriched,
    decimal TotalCost,
    double AvgConfidence,
    string Source);
