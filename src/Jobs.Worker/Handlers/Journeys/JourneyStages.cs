using Jobs.Core.Engine.Catalog;

namespace Jobs.Worker.Handlers.Journeys;

/// <summary>The stages of the journey job types and their progress bands.</summary>
public static class JourneyStages
{
    /// <summary>Reading and checking the input: 0–10 %.</summary>
    public const string Preparing = "preparing";

    /// <summary>The one long call: 10–90 %, creeping towards 90 while it lasts, elapsed time reported every second.</summary>
    public const string WaitingForModel = "waiting_for_model";

    /// <summary>Reading the model's answer into a journey: 90–100 %.</summary>
    public const string Reading = "reading_journey";

    /// <summary>The catalog's words for a journey type: its title, and what it analyzes in the long call.</summary>
    public static JobTypeDisplay Display(string title, string analyzing, string slowHint) => new(title,
    [
        new(Preparing, "Starting analysis…") { During = "preparation" },
        new(WaitingForModel, analyzing) { During = "the analysis", Hint = slowHint },
        new(Reading, "Reading the journey…") { During = "reading the answer" },
    ])
    {
        Metrics = [new("elapsed_seconds", "Model time (s)"), new("tokens", "Tokens"), new("total_cost", "Cost")],
    };
}
