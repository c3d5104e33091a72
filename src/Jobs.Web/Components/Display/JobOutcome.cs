using System.Text.Json;
using Jobs.Web.Api;

namespace Jobs.Web.Components.Display;

/// <summary>
/// A job's own words, for a toast: what it works on ("plumbers in Austin, TX"), and what it did once it completed
/// ("89 subscribed · 3 skipped (already enrolled)", "8 qualified leads · $0.60") with the one link that matters
/// (the export's download, the campaign). Types it does not know get nothing, and the toast says only that it completed.
/// </summary>
public static class JobOutcome
{
    /// <summary>A link a completed job offers: its file, its results.</summary>
    public sealed record Link(string Text, string Url);

    /// <summary>What a completed job did, from its result (and its metrics when the result says less).</summary>
    public sealed record Summary(string? Text, Link? Link);

    /// <summary>What the job works on, from its payload, for a toast whose page gave no subtitle.</summary>
    public static string? Subject(string type, JsonElement payload) => type switch
    {
        "leads.discover" when Str(payload, "businessType") is { } what && Str(payload, "location") is { } where => $"{what} in {where}",
        "journey.from-transcript" when Str(payload, "transcript") is { } transcript => $"A transcript of {Plural(transcript.Length, "character")}",
        "demo" when Int(payload, "items") is { } items => Plural(items, "item"),
        _ when Array(payload, "contactIds") is { } ids => Plural(ids.GetArrayLength(), "contact"),
        _ => null,
    };

    public static Summary Of(Guid jobId, string type, JsonElement? result, JsonElement metrics)
    {
        var r = result ?? default;
        return type switch
        {
            "contacts.subscribe" => new(Subscription(r, metrics), null),
            "contacts.tag" when Int(r, "tagged") is { } tagged =>
                new(Join($"{Plural(tagged, "contact")} tagged {string.Join(", ", Strings(r, "tags"))}".TrimEnd(), NotFound(r)), null),
            "contacts.delete" when Int(r, "deleted") is { } deleted => new(Join($"{Plural(deleted, "contact")} deleted", NotFound(r)), null),
            "contacts.export" when Str(r, "file") is { } file =>
                new($"{Plural(Int(r, "rows") ?? 0, "contact")} exported", new Link($"Download {file}", DownloadEndpoints.JobFileUrl(jobId, file))),
            "contacts.import" when Int(r, "imported") is { } imported => new(Import(imported, Int(r, "updated") ?? 0, Int(r, "invalidCount") ?? 0), null),
            "leads.discover" => new(Leads(r, metrics), Guid.TryParse(Str(r, "campaignId"), out var campaign) ? new Link("View results", $"/campaigns/{campaign}") : null),
            "journey.from-transcript" or "journey.from-diagram" when Array(r, "stages") is { } stages => new(Journey(r, stages), null),
            "demo" when Int(r, "items") is { } items => new($"{Plural(items, "item")} processed", null),
            _ => new(null, null),
        };
    }

    /// <summary>"89 subscribed · 3 skipped (2 already enrolled, 1 opted out) · 1 failed".</summary>
    private static string? Subscription(JsonElement result, JsonElement metrics)
    {
        if (Array(result, "succeeded") is { } succeeded)
        {
            var blocked = Array(result, "blocked")?.EnumerateArray().ToList() ?? [];
            var reasons = blocked
                .Select(b => Str(b, "reason") is { } reason ? DisplayFormat.Label(reason).ToLowerInvariant() : "other")
                .GroupBy(r => r)
                .OrderByDescending(g => g.Count())
                .Select(g => blocked.Count == g.Count() ? g.Key : $"{g.Count()} {g.Key}");
            var skipped = blocked.Count == 0 ? null : $"{DisplayFormat.Count(blocked.Count)} skipped ({string.Join(", ", reasons)})";
            var failed = Array(result, "failed")?.GetArrayLength() ?? 0;
            return Join($"{DisplayFormat.Count(succeeded.GetArrayLength())} subscribed", skipped, failed > 0 ? $"{DisplayFormat.Count(failed)} failed" : null);
        }

        return Int(metrics, "succeeded") is { } done
            ? Join($"{DisplayFormat.Count(done)} subscribed", Int(metrics, "blocked") is > 0 and var b ? $"{DisplayFormat.Count(b)} skipped" : null,
                Int(metrics, "failed") is > 0 and var f ? $"{DisplayFormat.Count(f)} failed" : null)
            : null;
    }

    /// <summary>"12 imported · 3 updated · 2 invalid rows": the invalid rows always, since they are what needs fixing.</summary>
    private static string Import(long imported, long updated, long invalid) =>
        Join($"{DisplayFormat.Count(imported)} imported", updated > 0 ? $"{DisplayFormat.Count(updated)} updated" : null, Plural(invalid, "invalid row"))!;

    /// <summary>"8 qualified leads · $0.60".</summary>
    private static string? Leads(JsonElement result, JsonElement metrics)
    {
        var leads = Int(result, "qualifiedLeads") ?? Int(metrics, "qualified_leads");
        var cost = Decimal(result, "totalCost") ?? Decimal(metrics, "total_cost");
        return leads is null ? null : Join(Plural(leads.Value, "qualified lead"), cost is { } c ? DisplayFormat.Money(c) : null);
    }

    /// <summary>"“Onboarding” · 4 stages · 3 pain points".</summary>
    private static string Journey(JsonElement result, JsonElement stages)
    {
        var painPoints = stages.EnumerateArray().Sum(s => Array(s, "painPoints")?.GetArrayLength() ?? 0);
        return Join(Str(result, "title") is { Length: > 0 } title ? $"“{title}”" : null, Plural(stages.GetArrayLength(), "stage"), Plural(painPoints, "pain point"))!;
    }

    private static string? NotFound(JsonElement result) =>
        Array(result, "notFound")?.GetArrayLength() is > 0 and var n ? $"{DisplayFormat.Count(n)} not found" : null;

    /// <summary>"1 contact", "2 contacts", "1,204 rows".</summary>
    public static string Plural(long count, string singular) => $"{DisplayFormat.Count(count)} {(count == 1 ? singular : singular + "s")}";

    private static string? Join(params string?[] parts) =>
        parts.Where(p => !string.IsNullOrEmpty(p)).ToList() is { Count: > 0 } present ? string.Join(" · ", present) : null;

    private static JsonElement? Prop(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : null;

    private static string? Str(JsonElement element, string name) => Prop(element, name) is { ValueKind: JsonValueKind.String } s ? s.GetString() : null;

    private static long? Int(JsonElement element, string name) => Prop(element, name) is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var v) ? v : null;

    private static decimal? Decimal(JsonElement element, string name) => Prop(element, name) is { ValueKind: JsonValueKind.Number } n && n.TryGetDecimal(out var v) ? v : null;

    private static JsonElement? Array(JsonElement element, string name) => Prop(element, name) is { ValueKind: JsonValueKind.Array } a ? a : null;

    private static IEnumerable<string> Strings(JsonElement element, string name) =>
        Array(element, name)?.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!) ?? [];
}
