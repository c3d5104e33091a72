using System.Text.Json;
using Jobs.Core.Engine.Catalog.Declarations;
using Jobs.Worker.Integrations.Chat;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Journeys;

/// <summary>
/// <c>journey.from-transcript</c> (docs/design.md, "Workloads"): turns a conversation's transcript into a customer
/// journey (stages, steps, pain points) with one call to the chat model, reporting the elapsed time while it waits
/// (<see cref="JourneyGenerator"/>). Stages: preparing, waiting_for_model, reading_journey.
/// </summary>
[JobType(TypeName, Title = "Journey from transcript", MaxAttempts = 2, TimeoutSeconds = 2400,
    Description = "Turns a transcript (a sales call, an interview, a support chat) into a customer journey: stages, their steps and pain points. One call to the chat model, which may take minutes; the elapsed time is reported while waiting.")]
[JobStage(JourneyStages.Preparing, "Starting analysis…", During = "preparation")]
[JobStage(JourneyStages.WaitingForModel, "Analyzing the transcript…", During = "the analysis", Hint = "a long transcript takes longer")]
[JobStage(JourneyStages.Reading, "Reading the journey…", During = "reading the answer")]
[JobMetric("elapsed_seconds", "Model time (s)")]
[JobMetric("tokens", "Tokens")]
[JobMetric("total_cost", "Cost")]
public sealed class JourneyFromTranscriptHandler(JourneyGenerator generator) : JobHandler<JourneyFromTranscriptPayload, JsonElement>
{
    public const string TypeName = "journey.from-transcript";
    public const int MaxTranscriptLength = 200_000;
    public const int MaxPromptLength = 2000;

    internal static string UserText(string? prompt, string what) =>
        (string.IsNullOrWhiteSpace(prompt) ? "" : $"Guidance: {prompt.Trim()}\n\n") + what;

    protected override async Task<JsonElement> HandleAsync(JobContext context, JourneyFromTranscriptPayload payload, CancellationToken cancellationToken)
    {
        await context.ReportAsync(percent: 0, stage: JourneyStages.Preparing,
            message: $"transcript of {payload.Transcript.Length} characters");
        var userText = UserText(payload.Prompt,
            $"Describe the customer journey in this transcript, between {SimulatedChatCompletions.TextStart} and {SimulatedChatCompletions.TextEnd}:\n"
            + $"{SimulatedChatCompletions.TextStart}\n{payload.Transcript}\n{SimulatedChatCompletions.TextEnd}");
        return await generator.GenerateAsync(context, "transcript", userText, null, cancellationToken);
    }
}
