using System.Text.Json;
using Jobs.Contracts.Jobs;

namespace Jobs.Web.Components.Display;

/// <summary>
/// How a job reads on screen, from its type's catalog entry (<see cref="JobTypeDisplay"/>, null for a type that has
/// none): its title, the sentence of its stage, its items ("45 of 92 contacts"), the elapsed time of a long call, its
/// metrics in the catalog's order. Pure, so that the pages, the toasts and the tests share one wording.
/// </summary>
public static class JobText
{
    /// <summary>A stage without items to count (one long call) that lasts longer than this reads "Still …".</summary>
    public static readonly TimeSpan StillAfter = TimeSpan.FromSeconds(30);

    public static string Title(JobTypeDisplay? display, string type) => display?.Title ?? type;

    /// <summary>
    /// What a job is doing now: its stage's sentence while it runs, and once it has ended the ending itself
    /// ("Completed", "Failed during scoring"), not the last stage it reported, which the timeline keeps.
    /// </summary>
    public static string Stage(JobTypeDisplay? display, string status, string? stage) => status switch
    {
        JobStatus.Completed => "Completed",
        JobStatus.Failed or JobStatus.Cancelled => stage is null ? DisplayFormat.Label(status) : $"{DisplayFormat.Label(status)} during {During(display, stage)}",
        JobStatus.Pending => "Waiting to start",
        _ => Sentence(display, stage),
    };

    /// <summary>A stage's sentence: "Scoring and qualifying leads…"; a stage the catalog does not describe in words.</summary>
    public static string Sentence(JobTypeDisplay? display, string? stage) =>
        display?.Stage(stage)?.Sentence ?? (stage is null ? "Starting…" : $"{DisplayFormat.Label(stage)}…");

    /// <summary>What the job will do first, for a job that has not started yet: its first stage's sentence.</summary>
    public static string FirstSentence(JobTypeDisplay? display) =>
        display?.Stages.FirstOrDefault()?.Sentence ?? "Waiting to start…";

    /// <summary>The stage in "Failed during …": "scoring", "the analysis".</summary>
    public static string During(JobTypeDisplay? display, string stage) =>
        display?.Stage(stage)?.DuringText ?? stage.Replace('_', ' ').Replace('-', ' ');

    /// <summary>"45 of 92 contacts", "120 rows", "1 of 1 item"; null while there is nothing to count.</summary>
    public static string? Items(JobTypeDisplay? display, string? stage, long? processed, long? total)
    {
        var noun = display?.Stage(stage)?.Items ?? display?.Items ?? "items";
        return total is > 0 ? $"{DisplayFormat.Count(processed ?? 0)} of {DisplayFormat.Count(total)} {Noun(noun, total.Value)}"
            : processed is > 0 ? $"{DisplayFormat.Count(processed)} {Noun(noun, processed.Value)}"
            : null;
    }

    // The catalog names what items count in the plural; one of them reads in the singular ("businesses" → "business").
    private static string Noun(string plural, long count) =>
        count != 1 ? plural
        : plural.EndsWith("sses", StringComparison.Ordinal) ? plural[..^2]
        : plural.EndsWith('s') ? plural[..^1]
        : plural;

    /// <summary>Whether a running stage has items to count: when it has none it is one long step, shown by its elapsed time.</summary>
    public static bool HasItems(long? processed, long? total) => total is > 0 || processed is > 0;

    /// <summary>
    /// A long step as it goes: "Analyzing the diagram… 5 s", and after <see cref="StillAfter"/> "Still analyzing the
    /// diagram… 45 s (a complex diagram takes longer)" with the stage's hint.
    /// </summary>
    public static string LongStep(JobTypeDisplay? display, string? stage, TimeSpan elapsed)
    {
        var sentence = Sentence(display, stage);
        var time = DisplayFormat.Duration(elapsed);
        if (elapsed < StillAfter)
        {
            return $"{sentence} {time}";
        }

        var hint = display?.Stage(stage)?.Hint;
        return $"Still {char.ToLowerInvariant(sentence[0])}{sentence[1..]} {time}{(hint is null ? "" : $" ({hint})")}";
    }

    /// <summary>
    /// The metrics as cards: the catalog's first, in its order and with its labels ("Enriched" as "3/5" of the metric
    /// it counts a part of), then any other by its name. Costs read "Cost so far" while the job runs.
    /// </summary>
    public static IReadOnlyList<(string Name, string Label, string Value)> Metrics(JobTypeDisplay? display, JsonElement metrics, bool ended)
    {
        if (metrics.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var values = metrics.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        var cards = new List<(string, string, string)>();
        foreach (var metric in display?.Metrics ?? [])
        {
            if (!values.Remove(metric.Name, out var value))
            {
                continue;
            }

            var shown = metric.Of is { } of && metrics.TryGetProperty(of, out var whole)
                ? $"{DisplayFormat.Metric(metric.Name, value)}/{DisplayFormat.Metric(of, whole)}"
                : DisplayFormat.Metric(metric.Name, value);
            cards.Add((metric.Name, Label(metric.Name, metric.Label, ended), shown));
        }

        cards.AddRange(values.Select(p => (p.Key, Label(p.Key, DisplayFormat.Label(p.Key), ended), DisplayFormat.Metric(p.Key, p.Value))));
        return cards;
    }

    private static string Label(string name, string label, bool ended) =>
        !ended && DisplayFormat.IsMoney(name) ? $"{label} so far" : label;
}
