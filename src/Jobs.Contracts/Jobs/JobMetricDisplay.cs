namespace Jobs.Contracts.Jobs;

/// <summary>A metric of a job type as people read it, in the catalog's order.</summary>
/// <param name="Name">The metric as the handler reports it (<c>leads_enriched</c>).</param>
/// <param name="Label">Its label: "Enriched". Metrics named <c>total_cost</c> or <c>*_cost</c> are US dollars.</param>
public sealed record JobMetricDisplay(string Name, string Label)
{
    /// <summary>Another metric this one counts a part of, shown as "3/5": <c>leads_enriched</c> of <c>qualified_leads</c>.</summary>
    public string? Of { get; init; }
}
