using System.Text.Json;
using System.Text.Json.Nodes;

namespace Jobs.Core.Engine.Catalog;

/// <summary>The <c>oneOf</c> of a payload schema: exactly one of a few properties is given.</summary>
public static partial class PayloadValidator
{
    /// <summary>
    /// <c>oneOf</c> as payloads use it: each alternative requires properties, and exactly one alternative's are all
    /// given (not null). Each property concerned is told so: the missing ones when none is given, the given ones when
    /// several are.
    /// </summary>
    private static void ValidateExactlyOne(JsonArray alternatives, JsonElement value, string path, PayloadErrors errors)
    {
        var choices = alternatives.Select(a => a is JsonObject { Count: 1 } only && only["required"] is JsonArray names
                ? names.Select(n => n!.GetValue<string>()).ToList()
                : throw new InvalidOperationException("A oneOf alternative other than {\"required\": [...]} is not supported."))
            .ToList();
        bool Given(string name) => value.TryGetProperty(name, out var given) && given.ValueKind != JsonValueKind.Null;
        var matching = choices.Where(c => c.All(Given)).ToList();
        if (matching.Count == 1)
        {
            return;
        }

        var all = choices.SelectMany(c => c).Distinct(StringComparer.Ordinal).ToList();
        var rule = $"give exactly one of {And(all)}";
        if (matching.Count == 0)
        {
            foreach (var name in all.Where(n => !Given(n)))
            {
                errors.Add(Join(path, name), $"is required: {rule}.");
            }

            return;
        }

        var given = matching.SelectMany(c => c).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in given)
        {
            errors.Add(Join(path, name), $"must not be given with {And(given.Where(g => g != name).ToList())}: {rule}.");
        }
    }

    private static string And(IReadOnlyList<string> names) =>
        names.Count == 1 ? names[0] : $"{string.Join(", ", names.Take(names.Count - 1))} and {names[^1]}";
}
