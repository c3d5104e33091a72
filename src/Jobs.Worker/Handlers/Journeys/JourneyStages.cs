namespace Jobs.Worker.Handlers.Journeys;

/// <summary>The stages of the journey job types and their progress bands; each handler declares their sentences.</summary>
public static class JourneyStages
{
    /// <summary>Reading and checking the input: 0–10 %.</summary>
    public const string Preparing = "preparing";

    /// <summary>The one long call: 10–90 %, creeping towards 90 while it lasts, elapsed time reported every second.</summary>
    public const string WaitingForModel = "waiting_for_model";

    /// <summary>Reading the model's answer into a journey: 90–100 %.</summary>
    public const string Reading = "reading_journey";
}
