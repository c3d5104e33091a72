using System.Text.Json.Nodes;

namespace Jobs.Core.Tests;

/// <summary>
/// Compares two payload schemas by what they say, not by their text: every keyword of the old one must hold in the new
/// one, a constraint at least as strict (a lower maximum, a longer required list, fewer enum values, a closed object
/// that stays closed) and everything else equal (types, patterns, formats, descriptions, defaults, our keywords).
/// Keywords only the new one has are allowed: they can only add constraints or words.
/// </summary>
internal static class SchemaConstraints
{
    private static readonly HashSet<string> Equal = new(StringComparer.Ordinal) { "type", "pattern", "format", "description", "default" };
    private static readonly HashSet<string> Lower = new(StringComparer.Ordinal) { "minimum", "minLength", "minItems" };
    private static readonly HashSet<string> Upper = new(StringComparer.Ordinal) { "maximum", "maxLength", "maxItems" };

    /// <summary>Each constraint of <paramref name="old"/> that <paramref name="generated"/> loses, by path and keyword.</summary>
    public static IReadOnlyList<string> Lost(JsonObject old, JsonObject generated)
    {
        var lost = new List<string>();
        Compare(old, generated, "payload", lost);
        return lost;
    }

    private static void Compare(JsonObject old, JsonObject generated, string path, List<string> lost)
    {
        foreach (var (keyword, was) in old)
        {
            var now = generated[keyword];
            var where = $"{path}: {keyword}";
            if (now is null && keyword != "required")
            {
                lost.Add($"{where} is gone (was {was?.ToJsonString()})");
                continue;
            }

            switch (keyword)
            {
                case "properties":
                    foreach (var (name, property) in was!.AsObject())
                    {
                        if (now![name] is JsonObject generatedProperty)
                        {
                            Compare(property!.AsObject(), generatedProperty, $"{path}.{name}", lost);
                        }
                        else
                        {
                            lost.Add($"{path}.{name} is gone");
                        }
                    }

                    if (old["additionalProperties"]?.GetValue<bool>() == false)
                    {
                        lost.AddRange(now!.AsObject().Select(p => p.Key).Where(n => was.AsObject()[n] is null).Select(n => $"{path}.{n} is new in a closed object"));
                    }

                    break;
                case "items":
                    Compare(was!.AsObject(), now!.AsObject(), $"{path}[]", lost);
                    break;
                case "required":
                    var required = (now as JsonArray)?.Select(n => n!.GetValue<string>()).ToHashSet() ?? [];
                    lost.AddRange(was!.AsArray().Select(n => n!.GetValue<string>()).Where(n => !required.Contains(n)).Select(n => $"{where}: {n} is no longer required"));
                    break;
                case "enum":
                    var allowed = was!.AsArray().Select(v => v!.ToJsonString()).ToHashSet();
                    lost.AddRange(now!.AsArray().Select(v => v!.ToJsonString()).Where(v => !allowed.Contains(v)).Select(v => $"{where}: {v} is newly allowed"));
                    break;
                case "additionalProperties" or "uniqueItems":
                    Check(was!.GetValue<bool>() == false ? now!.GetValue<bool>() == false : !was.GetValue<bool>() || now!.GetValue<bool>(), where, was, now, lost);
                    break;
                case var bound when Lower.Contains(bound):
                    Check(now!.GetValue<decimal>() >= was!.GetValue<decimal>(), where, was, now, lost);
                    break;
                case var bound when Upper.Contains(bound):
                    Check(now!.GetValue<decimal>() <= was!.GetValue<decimal>(), where, was, now, lost);
                    break;
                case var same when Equal.Contains(same) || same.StartsWith("x-", StringComparison.Ordinal):
                    Check(JsonNode.DeepEquals(was, now), where, was, now, lost);
                    break;
                default:
                    lost.Add($"{where} is a keyword this comparison does not know");
                    break;
            }
        }
    }

    private static void Check(bool holds, string where, JsonNode? was, JsonNode? now, List<string> lost)
    {
        if (!holds)
        {
            lost.Add($"{where} was {was?.ToJsonString()}, is {now?.ToJsonString()}");
        }
    }
}
