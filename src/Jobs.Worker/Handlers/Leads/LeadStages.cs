namespace Jobs.Worker.Handlers.Leads;

/// <summary>
/// The stages of <c>leads.discover</c> and the progress band each one fills (docs/design.md, "Workloads"); the UI and
/// the tests rely on these exact names and bands.
/// </summary>
public static class LeadStages
{
    /// <summary>Text search, then the details of each business: 0–30 %.</summary>
    public const string Discovering = "discovering";

    /// <summary>Confidence from the fields found, threshold, order, limit: 30–50 %.</summary>
    public const string Scoring = "scoring";

    /// <summary>Per lead, email discovery then verification: 50–90 %.</summary>
    public const string Enriching = "enriching";

    /// <summary>The campaign and its leads, in one transaction: 90–100 %.</summary>
    public const string Storing = "storing";

    public static IReadOnlyList<(string Stage, int From, int To)> Bands { get; } =
    [
        (Discovering, 0, 30),
        (Scoring, 30, 50),
        (Enriching, 50, 90),
        (Storing, 90, 100),
    ];

    /// <summary>The percentage <paramref name="done"/> of <paramref name="total"/> steps reach inside a band.</summary>
    public static int Within(int from, int to, long done, long total) =>
        total <= 0 ? to : from + (int)((to - from) * Math.Clamp(done, 0, total) / total);
}
