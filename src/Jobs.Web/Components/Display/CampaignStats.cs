using System.Text.Json;

namespace Jobs.Web.Components.Display;

/// <summary>Reads a campaign's stats object (businessesFound, qualifiedLeads, leadsEnriched, totalCost, avgConfidence).</summary>
public static class CampaignStats
{
    public static string Count(JsonElement stats, string name) =>
        stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty(name, out var v) && v.TryGetInt64(out var n) ? DisplayFormat.Count(n) : "—";

    public static string Cost(JsonElement stats) =>
        stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty("totalCost", out var v) && v.TryGetDecimal(out var d) ? DisplayFormat.Money(d) : "—";

    public static string Confidence(JsonElement stats) =>
        stats.ValueKind == JsonValueKind.Object && stats.TryGetProperty("avgConfidence", out var v) && v.TryGetDouble(out var d) ? $"{d:0.#}" : "—";
}
