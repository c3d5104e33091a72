using System.Text.Json;
using Jobs.Core.Engine;
using Jobs.Worker.Integrations.Chat;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Journeys;

/// <summary>
/// What both journey job types share: the one long call to the model, with the elapsed time reported every
/// <see cref="ReportEvery"/> while it lasts (stage <c>waiting_for_model</c>, metric <c>elapsed_seconds</c>, progress
/// creeping from 10 towards 90 % but never claiming completion), then the answer read into a <see cref="Journey"/>.
/// Metrics <c>tokens</c> and <c>total_cost</c> (USD). At-least-once: a rerun asks the model again (and pays again).
/// </summary>
public sealed class JourneyGenerator(IChatCompletions chat, TimeProvider time, ILogger<JourneyGenerator> logger)
{
    public static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(1);

    public const string SystemPrompt =
        "You are a customer-experience analyst. From what the user gives you, describe the customer's journey as a JSON "
        + "object with exactly this shape: {\"title\": string, \"stages\": [{\"name\": string, \"steps\": [string], "
        + "\"painPoints\": [string]}]}. Stages are in the order the customer lives them; steps are short, concrete "
        + "actions or events; painPoints are the frictions the customer meets in that stage (an empty array if none). "
        + "Answer with the JSON object only.";

    public string Source => chat.Source;

    public async Task<JsonElement> GenerateAsync(JobContext context, string input, string userText, ChatImage? image, CancellationToken cancellationToken)
    {
        await context.ReportAsync(percent: 10, stage: JourneyStages.WaitingForModel,
            message: $"asking {chat.Source} model {chat.Model}");
        var started = time.GetTimestamp();
        var call = chat.CompleteJsonAsync(new ChatRequest(SystemPrompt, userText, image), cancellationToken);
        while (true)
        {
            // The tick is not cancelled: cancellation ends the call itself, which ends the wait.
            var tick = Task.Delay(ReportEvery, time, CancellationToken.None);
            if (await Task.WhenAny(call, tick) == call)
            {
                break;
            }

            var elapsed = time.GetElapsedTime(started);
            context.SetMetric("elapsed_seconds", (int)elapsed.TotalSeconds);
            await context.ReportAsync(percent: Creep(elapsed), message: $"waiting for the model: {(int)elapsed.TotalSeconds} s");
        }

        var completion = await call;
        var took = time.GetElapsedTime(started);
        context.SetMetric("elapsed_seconds", Math.Round(took.TotalSeconds, 1));
        context.SetMetric("tokens", completion.Usage.TotalTokens);
        context.SetMetric("total_cost", completion.Cost);
        await context.ReportAsync(percent: 90, stage: JourneyStages.Reading,
            message: $"the model answered in {took.TotalSeconds:0.#} s with {completion.Usage.TotalTokens} tokens");

        var (title, stages) = Read(completion.Content);
        var journey = new Journey(title, stages, completion.Model, chat.Source, input,
            new JourneyUsage(completion.Usage.PromptTokens, completion.Usage.CompletionTokens, completion.Usage.TotalTokens),
            completion.Cost, Math.Round(took.TotalSeconds, 1));
        logger.LogInformation("Job {JobId}: {Source} journey with {Stages} stages from {Input} in {Seconds:0.#} s for {Cost} USD",
            context.Job.Id, chat.Source, stages.Count, input, took.TotalSeconds, completion.Cost);
        await context.ReportAsync(percent: 100, message: $"journey with {stages.Count} stages");
        return JsonSerializer.SerializeToElement(journey, JsonSerializerOptions.Web);
    }

    /// <summary>10 % at the start, towards 90 % (never reaching it) with a time constant of a minute.</summary>
    public static int Creep(TimeSpan elapsed) =>
        Math.Min(89, 10 + (int)(80 * (1 - Math.Exp(-elapsed.TotalSeconds / 60))));

    /// <summary>
    /// The journey in the model's answer, leniently (missing steps or pain points are empty, non-string items
    /// skipped) but with stages required: an answer without them is not a journey, and asking again rarely helps.
    /// </summary>
    public static (string Title, IReadOnlyList<JourneyStage> Stages) Read(JsonElement answer)
    {
        var title = answer.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(t.GetString())
            ? t.GetString()!.Trim()
            : "Customer journey";
        if (!answer.TryGetProperty("stages", out var stagesElement) || stagesElement.ValueKind != JsonValueKind.Array)
        {
            throw new NonRetryableJobException($"The model's answer has no \"stages\" array, so it is not a journey: {Shorten(answer.GetRawText())}");
        }

        var stages = new List<JourneyStage>();
        foreach (var stage in stagesElement.EnumerateArray())
        {
            if (stage.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var name = stage.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()!.Trim() : "";
            stages.Add(new JourneyStage(name.Length == 0 ? $"Stage {stages.Count + 1}" : name, Strings(stage, "steps"), Strings(stage, "painPoints")));
        }

        if (stages.Count == 0)
        {
            throw new NonRetryableJobException("The model's answer has no stages, so it is not a journey.");
        }

        return (title, stages);
    }

    private static List<string> Strings(JsonElement element, string name) =>
        element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!.Trim()).Where(s => s.Length > 0).ToList()
            : [];

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
