using Jobs.Contracts.Jobs;


namespace Jobs.Web.Tests;

/// <summary>Catalog entries as the workers publish them, for the tests' jobs.</summary>
internal static class Displays
{
    public static JobTypeDisplay Leads { get; } = new("Lead discovery",
    [
        new("discovering", "Discovering businesses…") { Items = "businesses" },
        new("scoring", "Scoring and qualifying leads…") { Items = "businesses" },
        new("enriching", "Enriching contacts…") { Items = "leads" },
        new("storing", "Storing results…") { Items = "leads" },
    ])
    {
        Metrics =
        [
            new("businesses_found", "Businesses found"),
            new("qualified_leads", "Qualified leads"),
            new("leads_enriched", "Enriched") { Of = "qualified_leads" },
            new("total_cost", "Cost"),
        ],
    };

    public static JobTypeDisplay Subscribe { get; } = new("Sequence subscription", [new("subscribing", "Subscribing contacts to sequence…") { During = "subscription" }])
    {
        Items = "contacts",
    };

    public static JobTypeDisplay Diagram { get; } = new("Journey from diagram",
    [
        new("preparing", "Starting analysis…") { During = "preparation" },
        new("waiting_for_model", "Analyzing the diagram…") { During = "the analysis", Hint = "a complex diagram takes longer" },
        new("reading_journey", "Reading the journey…"),
    ]);
}
