using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Engine.Catalog;
using Jobs.Worker.Handlers.Contacts;
using Jobs.Worker.Integrations.Chat;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Journeys;

/// <summary>
/// <c>journey.from-transcript</c> (docs/design.md, "Workloads"): turns a conversation's transcript into a customer
/// journey (stages, steps, pain points) with one call to the chat model, reporting the elapsed time while it waits
/// (<see cref="JourneyGenerator"/>). Stages: preparing, waiting_for_model, reading_journey.
/// </summary>
public sealed class JourneyFromTranscriptHandler(JourneyGenerator generator) : IJobHandler
{
    public const string TypeName = "journey.from-transcript";
    public const int MaxTranscriptLength = 200_000;
    public const int MaxPromptLength = 2000;

    /// <summary>The catalog entry, static so that hosts without the handler's services (test clusters) can publish it.</summary>
    public static JobTypeDefinition JobType { get; } = new JobTypeDefinition(
        TypeName,
        "Turns a transcript (a sales call, an interview, a support chat) into a customer journey: stages, their steps and pain points. One call to the chat model, which may take minutes; the elapsed time is reported while waiting.",
        "default",
        new JsonObject
        {
            ["type"] = "object",
            ["additionalProperties"] = false,
            ["required"] = new JsonArray("transcript"),
            ["properties"] = new JsonObject
            {
                ["transcript"] = new JsonObject
                {
                    ["type"] = "string", ["minLength"] = 1, ["maxLength"] = MaxTranscriptLength, ["pattern"] = "\\S", [SchemaKeywords.PatternMessage] = ContactSchemas.NotBlankMessage,
                    ["description"] = "The conversation as text, speaker labels welcome (\"Customer: …\").",
                },
                ["prompt"] = Prompt(),
            },
        },
        MaxAttempts: 2,
        TimeoutSeconds: 2400).WithDisplay(JourneyStages.Display("Journey from transcript", "Analyzing the transcript…", "a long transcript takes longer"));

    public JobTypeDefinition Definition => JobType;

    internal static JsonObject Prompt() => new()
    {
        ["type"] = "string", ["maxLength"] = MaxPromptLength,
        ["description"] = "Optional guidance for the model: the product, the persona, what to focus on.",
    };

    internal static string UserText(string? prompt, string what) =>
        (string.IsNullOrWhiteSpace(prompt) ? "" : $"Guidance: {prompt.Trim()}\n\n") + what;

    public async Task<JsonElement> HandleAsync(JobContext context, CancellationToken cancellationToken)
    {
        var payload = context.GetPayload<JourneyFromTranscriptPayload>();
        await context.ReportAsync(percent: 0, stage: JourneyStages.Preparing,
            message: $"transcript of {payload.Transcript.Length} characters");
        var userText = UserText(payload.Prompt,
            $"Describe the customer journey in this transcript, between {SimulatedChatCompletions.TextStart} and {SimulatedChatCompletions.TextEnd}:\n"
            + $"{SimulatedChatCompletions.TextStart}\n{payload.Transcript}\n{SimulatedChatCompletions.TextEnd}");
        return await generator.GenerateAsync(context, "transcript", userText, null, cancellationToken);
    }
}
