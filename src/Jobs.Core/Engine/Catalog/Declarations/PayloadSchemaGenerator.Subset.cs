using System.Text.Json.Nodes;

namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>Bringing the exporter's schema into the subset <see cref="PayloadValidator"/> understands.</summary>
public static partial class PayloadSchemaGenerator
{
    /// <summary>The keywords the generated schema may hold: the validator's subset, annotations, and ours (<c>x-</c>).</summary>
    private static readonly HashSet<string> Subset = new(StringComparer.Ordinal)
    {
        "type", "properties", "required", "additionalProperties", "minimum", "maximum", "minLength", "maxLength",
        "pattern", "enum", "items", "minItems", "maxItems", "uniqueItems", "oneOf", "format", "description", "default",
    };

    /// <summary>
    /// Nullable means optional: a nullable property leaves <c>required</c> and its type loses <c>null</c> (the
    /// validator treats a null value as an absent one), and a default of null says nothing. Anything outside the subset
    /// (a union of types, <c>$ref</c>, <c>anyOf</c>) is refused, naming where it is.
    /// </summary>
    private static void Normalize(JsonObject schema, string path)
    {
        if (schema["type"] is JsonArray types)
        {
            var kinds = types.Select(t => t!.GetValue<string>()).Where(t => t != "null").ToList();
            schema["type"] = kinds.Count == 1
                ? kinds[0]
                : throw new NotSupportedException($"{path}: a payload property has one type, not {string.Join(" or ", kinds)}.");
        }

        if (schema["enum"] is JsonArray choices && choices.Any(c => c is null))
        {
            choices.Remove(choices.First(c => c is null));
        }

        if (schema.TryGetPropertyValue("default", out var value) && value is null)
        {
            schema.Remove("default");
        }

        if (schema.Select(k => k.Key).FirstOrDefault(k => !Subset.Contains(k) && !k.StartsWith("x-", StringComparison.Ordinal)) is { } unknown)
        {
            throw new NotSupportedException($"{path}: '{unknown}' is not in the payload schema subset.");
        }

        if (schema["properties"] is JsonObject properties)
        {
            var required = schema["required"] as JsonArray;
            foreach (var (name, property) in properties.Where(p => p.Value is JsonObject).Select(p => (p.Key, p.Value!.AsObject())).ToList())
            {
                if (IsNullable(property) && required?.FirstOrDefault(r => r!.GetValue<string>() == name) is { } entry)
                {
                    required.Remove(entry);
                }

                Normalize(property, $"{path}.{name}");
            }

            if (required is { Count: 0 })
            {
                schema.Remove("required");
            }
        }

        if (schema["items"] is JsonObject items)
        {
            Normalize(items, $"{path}[]");
        }
    }

    private static bool IsNullable(JsonObject schema) =>
        (schema["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null"))
        || (schema["enum"] is JsonArray choices && choices.Any(c => c is null));
}
