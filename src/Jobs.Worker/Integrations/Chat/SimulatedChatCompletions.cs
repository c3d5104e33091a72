using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobs.Worker.Integrations.Simulation;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Integrations.Chat;

/// <summary>
/// A stand-in for the model, no network: it answers a journey request with a plausible journey read from the text
/// itself. Sentences of a transcript (the text between the lines <see cref="TextStart"/> and <see cref="TextEnd"/>, or all of
/// it) are sorted into stages by keywords, each becomes a step of its stage, and those with negative words are also
/// pain points. For an image alone it answers a generic journey picked by the image's content. Same input, same
/// answer and latency; tokens are estimated at four characters each and priced from the price table.
/// </summary>
internal sealed partial class SimulatedChatCompletions(IOptions<SimulationOptions> simulation, IOptions<IntegrationPrices> prices, TimeProvider time)
    : IChatCompletions
{
    public const string TextStart = "<<<";
    public const string TextEnd = ">>>";
    public const string SimulatedModel = "simulated-journey-model";

    private const int MaxStepsPerStage = 8;
    private const int MaxStepLength = 160;

    private static readonly (string Stage, string[] Keywords)[] Stages =
    [
        ("Awareness", ["heard", "saw", "ad ", "advert", "found", "search", "google", "friend", "recommend", "discover", "first learned", "social"]),
        ("Consideration", ["compare", "compared", "price", "pricing", "review", "demo", "trial", "option", "evaluate", "quote", "research"]),
        ("Purchase", ["buy", "bought", "purchase", "sign up", "signed up", "order", "checkout", "pay", "paid", "subscribe", "contract", "register"]),
        ("Onboarding", ["setup", "set up", "install", "onboard", "account", "login", "log in", "configure", "welcome", "tutorial", "getting started"]),
        ("Usage", ["use", "using", "feature", "daily", "every day", "workflow", "report", "dashboard", "project", "team"]),
        ("Support", ["support", "help", "call", "ticket", "agent", "contact", "email", "chat", "complain", "escalat"]),
        ("Renewal", ["renew", "cancel", "upgrade", "downgrade", "leave", "switch", "refund", "churn", "recommend it", "loyal"]),
    ];

    private static readonly string[] NegativeWords =
    [
        "frustrat", "confus", "slow", "wait", "broken", "error", "annoy", "difficult", "hard to", "couldn't", "could not",
        "can't", "cannot", "never", "problem", "issue", "expensive", "unclear", "lost", "fail", "crash", "stuck", "hate",
        "bad", "worse", "worst", "angry", "upset", "disappoint", "bug", "delay", "complicated", "didn't work", "doesn't work",
    ];

    private static readonly string[][] DiagramJourneys =
    [
        ["Discover", "Evaluate", "Sign up", "Onboard", "Use", "Get support"],
        ["Browse", "Add to cart", "Checkout", "Delivery", "Return"],
        ["Request", "Review", "Approve", "Fulfil", "Follow up"],
        ["Land on site", "Create account", "Configure", "First success", "Renew"],
    ];

    public string Source => IntegrationProvider.Simulated;

    public string Model => SimulatedModel;

    public async Task<ChatCompletion> CompleteJsonAsync(ChatRequest request, CancellationToken cancellationToken)
    {
        var random = SimulatedRandom.For("chat", request.SystemPrompt, request.UserText, request.Image?.Base64 ?? "");
        await SimulatedDelay.WaitAsync(random.Latency(simulation.Value.ChatLatency), time, cancellationToken);
        var journey = request.Image is null ? FromText(TextOf(request.UserText)) : FromImage(random);
        var json = journey.ToJsonString();
        var promptChars = request.SystemPrompt.Length + request.UserText.Length + (request.Image is null ? 0 : 3000);
        var prompt = Math.Max(1, promptChars / 4);
        var completion = Math.Max(1, json.Length / 4);
        var usage = new ChatUsage(prompt, completion, prompt + completion);
        return new ChatCompletion(JsonDocument.Parse(json).RootElement.Clone(), SimulatedModel, usage, prices.Value.ChatCost(usage));
    }

    private static string TextOf(string userText)
    {
        // The delimiters on lines of their own, not where the instructions name them.
        var start = userText.IndexOf(TextStart + "\n", StringComparison.Ordinal);
        var end = userText.LastIndexOf("\n" + TextEnd, StringComparison.Ordinal);
        return start >= 0 && end > start ? userText[(start + TextStart.Length + 1)..end] : userText;
    }

    private static JsonObject FromText(string text)
    {
        var sentences = SentenceSplit().Split(text)
            .Select(s => SpeakerLabel().Replace(s, "").Trim())
            .Where(s => s.Count(char.IsLetter) >= 3)
            .ToList();
        var stages = new Dictionary<string, (List<string> Steps, List<string> Pains)>();
        var current = (string?)null;
        foreach (var sentence in sentences)
        {
            var lower = " " + sentence.ToLowerInvariant() + " ";
            var best = Stages
                .Select(s => (s.Stage, Hits: s.Keywords.Count(k => lower.Contains(k, StringComparison.Ordinal))))
                .Where(s => s.Hits > 0)
                .OrderByDescending(s => s.Hits)
                .Select(s => s.Stage)
                .FirstOrDefault();
            var stage = best ?? current ?? "Experience";
            current = stage;
            if (!stages.TryGetValue(stage, out var entry))
            {
                entry = ([], []);
                stages[stage] = entry;
            }

            var step = sentence.Length <= MaxStepLength ? sentence : sentence[..MaxStepLength].TrimEnd() + "…";
            if (entry.Steps.Count < MaxStepsPerStage)
            {
                entry.Steps.Add(step);
            }

            if (NegativeWords.Any(w => lower.Contains(w, StringComparison.Ordinal)) && entry.Pains.Count < MaxStepsPerStage)
            {
                entry.Pains.Add(step);
            }
        }

        if (stages.Count == 0)
        {
            stages["Experience"] = (["The customer describes their experience."], []);
        }

        var order = Stages.Select(s => s.Stage).Prepend("Experience").ToList();
        var first = sentences.FirstOrDefault() ?? "the conversation";
        var words = first.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var title = "Journey: " + string.Join(' ', words.Take(8)) + (words.Length > 8 ? "…" : "");
        return Journey(title, stages.OrderBy(s => order.IndexOf(s.Key)).Select(s => (s.Key, s.Value.Steps, s.Value.Pains)));
    }

    private static JsonObject FromImage(SimulatedRandom random)
    {
        var names = random.Pick(DiagramJourneys);
        var stages = names.Select(name => (name,
            Steps: new List<string> { $"{name}: the diagram's first box", $"{name}: the decision that follows" },
            Pains: random.Chance(0.4) ? new List<string> { $"{name}: a hand-off the diagram marks as slow" } : []));
        return Journey("Journey from diagram", stages);
    }

    private static JsonObject Journey(string title, IEnumerable<(string Name, List<string> Steps, List<string> Pains)> stages) => new()
    {
        ["title"] = title,
        ["stages"] = new JsonArray(stages.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Name,
            ["steps"] = new JsonArray(s.Steps.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
            ["painPoints"] = new JsonArray(s.Pains.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
        }).ToArray()),
    };

    [GeneratedRegex(@"(?<=[.!?])\s+|\r?\n+")]
    private static partial Regex SentenceSplit();

    [GeneratedRegex(@"^\s*\[?[\w .'-]{1,30}\]?\s*:\s+")]
    private static partial Regex SpeakerLabel();
}
