using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Jobs.Core.Catalog;

/// <summary>
/// Validates a payload against the JSON Schema subset our job types use: <c>type</c> (object, string, integer,
/// number, boolean, array), <c>properties</c>, <c>required</c>, <c>additionalProperties: false</c>,
/// <c>minimum</c>/<c>maximum</c>, <c>minLength</c>/<c>maxLength</c>, <c>pattern</c>, <c>enum</c>,
/// <c>items</c>, <c>minItems</c>/<c>maxItems</c>, <c>uniqueItems</c>. Errors are keyed by the field's path
/// (<c>items</c>, <c>contactIds[3]</c>), the shape of RFC 9457 validation problems.
/// </summary>
public static class PayloadValidator
{
    public static IReadOnlyDictionary<string, string[]> Validate(JsonObject schema, JsonElement payload)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        Validate(schema, payload, "", errors);
        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static void Validate(JsonObject schema, JsonElement value, string path, Dictionary<string, List<string>> errors)
    {
        void Add(string message) => AddAt(errors, path.Length == 0 ? "payload" : path, message);

        var type = schema["type"]?.GetValue<string>();
        if (type is not null && !HasType(value, type))
        {
            Add($"must be {Article(type)} {type}, not {Describe(value)}.");
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonElement.DeepEquals(JsonSerializer.SerializeToElement(a), value)))
        {
            Add($"must be one of {string.Join(", ", allowed.Select(a => a?.ToJsonString()))}.");
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                ValidateObject(schema, value, path, errors);
                break;
            case JsonValueKind.Array:
                ValidateArray(schema, value, path, errors, Add);
                break;
            case JsonValueKind.String:
                ValidateString(schema, value.GetString()!, Add);
                break;
            case JsonValueKind.Number:
                ValidateNumber(schema, value.GetDouble(), Add);
                break;
        }
    }

    private static void ValidateObject(JsonObject schema, JsonElement value, string path, Dictionary<string, List<string>> errors)
    {
        var properties = schema["properties"] as JsonObject;
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r!.GetValue<string>()))
            {
                if (!value.TryGetProperty(name, out var present) || present.ValueKind == JsonValueKind.Null)
                {
                    AddAt(errors, Join(path, name), "is required.");
                }
            }
        }

        foreach (var property in value.EnumerateObject())
        {
            if (properties?[property.Name] is JsonObject propertySchema)
            {
                if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    Validate(propertySchema, property.Value, Join(path, property.Name), errors);
                }
            }
            else if (schema["additionalProperties"] is JsonValue additional && !additional.GetValue<bool>())
            {
                AddAt(errors, Join(path, property.Name), "is not a field of this payload.");
            }
        }
    }

    private static void ValidateArray(JsonObject schema, JsonElement value, string path, Dictionary<string, List<string>> errors, Action<string> add)
    {
        var count = value.GetArrayLength();
        if (schema["minItems"] is JsonValue min && count < min.GetValue<int>())
        {
            add($"must have at least {min.GetValue<int>()} item(s), has {count}.");
        }

        if (schema["maxItems"] is JsonValue max && count > max.GetValue<int>())
        {
            add($"must have at most {max.GetValue<int>()} items, has {count}.");
        }

        if (schema["uniqueItems"] is JsonValue unique && unique.GetValue<bool>())
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            if (value.EnumerateArray().Any(item => !seen.Add(item.GetRawText())))
            {
                add("must not contain duplicates.");
            }
        }

        if (schema["items"] is JsonObject itemSchema)
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                Validate(itemSchema, item, $"{path}[{index++}]", errors);
            }
        }
    }

    private static void ValidateString(JsonObject schema, string value, Action<string> add)
    {
        if (schema["minLength"] is JsonValue min && value.Length < min.GetValue<int>())
        {
            add(min.GetValue<int>() == 1 ? "must not be empty." : $"must be at least {min.GetValue<int>()} characters long.");
        }

        if (schema["maxLength"] is JsonValue max && value.Length > max.GetValue<int>())
        {
            add($"must be at most {max.GetValue<int>()} characters long, is {value.Length}.");
        }

        if (schema["pattern"] is JsonValue pattern
            && !Regex.IsMatch(value, pattern.GetValue<string>(), RegexOptions.None, TimeSpan.FromMilliseconds(100)))
        {
            add($"must match {pattern.GetValue<string>()}.");
        }
    }

    private static void ValidateNumber(JsonObject schema, double value, Action<string> add)
    {
        if (schema["minimum"] is JsonValue min && value < min.GetValue<double>())
        {
            add($"must be at least {Format(min.GetValue<double>())}, is {Format(value)}.");
        }

        if (schema["maximum"] is JsonValue max && value > max.GetValue<double>())
        {
            add($"must be at most {Format(max.GetValue<double>())}, is {Format(value)}.");
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new InvalidOperationException($"Schema type '{type}' is not supported."),
    };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetInt64(out _) ? "an integer" : "a fractional number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        var kind => Article(kind.ToString().ToLowerInvariant()) + " " + kind.ToString().ToLowerInvariant(),
    };

    private static string Article(string word) => "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static void AddAt(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }

        list.Add(message);
    }
}
