namespace Jobs.Worker.Handlers.Journeys;

/// <summary>
/// The result of a journey job: the journey the model described, which model wrote it, what it was made from
/// (<see cref="Input"/>: <c>transcript</c>, <c>image</c> or <c>upload</c>), the provider (<see cref="Source"/>:
/// <c>simulated</c> or <c>openai</c>), the tokens used and their cost in USD.
/// </summary>
public sealed record Journey(
    string Title,
    IReadOnlyList<JourneyStage> Stages,
    string Model,
    string Source,
    string Input,
    JourneyUsage Usage,
    decimal Cost,
    double ElapsedSeconds);

public sealed record JourneyStage(string Name, IReadOnlyList<string> Steps, IReadOnlyList<string> PainPoints);

public sealed record JourneyUsage(int PromptTokens, int CompletionTokens, int TotalTokens);
