using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Catalog;

/// <summary>
/// Validates a payload against the JSON Schema subset our job types use: <c>type</c> (object, string, integer,
/// number, boolean, array), <c>properties</c>, <c>required</c>, <c>additionalProperties: false</c>,
/// <c>minimum</c>/<c>maximum</c>, <c>minLength</c>/<c>maxLength</c>, <c>pattern</c>, <c>enum</c>,
/// <c>items</c>, <c>minItems</c>/<c>maxItems</c>, <c>uniqueItems</c>, and <c>oneOf</c> whose alternatives each only
/// require properties ("exactly one of these is given"); a pattern's message is its
/// <see cref="SchemaKeywords.PatternMessage"/> when it has one. Errors are keyed by the field's path
/// (<c>items</c>, <c>contactIds[3]</c>), the shape of RFC 9457 validation problems.
/// <para>
/// Hostile input is bounded whatever the schema says (<see cref="PayloadLimits"/>): nesting depth, the length of a
/// string the schema gives no <c>maxLength</c> (parts it does not describe are walked too), numbers too large for a
/// double, and how many fields an answer lists. Paths quote at most <see cref="MaxNameInPath"/> characters of a name.
/// </para>
/// </summary>
public static partial class PayloadValidator
{
    /// <summary>At most this many failing fields are listed; the rest are counted under <c>payload</c>.</summary>
    public const int MaxErrors = 50;

    public const int MaxNameInPath = 64;

    private static readonly JsonObject AnyValue = [];

    public static IReadOnlyDictionary<string, string[]> Validate(JsonObject schema, JsonElement payload) =>
        Validate(schema, payload, PayloadLimits.Default);

    public static IReadOnlyDictionary<string, string[]> Validate(JsonObject schema, JsonElement payload, PayloadLimits limits)
    {
        var errors = new PayloadErrors();
        Validate(schema, payload, "", 1, limits, errors);
        if (errors.Dropped > 0)
        {
            errors.AddSummary($"…and {errors.Dropped} more invalid field(s); only the first {MaxErrors} are listed.");
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
    }

    private static void Validate(JsonObject schema, JsonElement value, string path, int depth, PayloadLimits limits, PayloadErrors errors)
    {
        void Add(string message) => errors.Add(path.Length == 0 ? "payload" : path, message);

        if (depth > limits.MaxDepth && value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
        {
            Add($"is nested too deeply: a payload may nest objects and arrays at most {limits.MaxDepth} levels.");
            return;
        }

        // JSON text is decoded only when read: bytes that are not UTF-8 (or an escaped lone surrogate) surface here, and
        // PostgreSQL's jsonb cannot store NUL. Both are field errors rather than exceptions later.
        string? text = null;
        if (value.ValueKind == JsonValueKind.String && ((text = ReadText(value)) is null || text.Contains('\0', StringComparison.Ordinal)))
        {
            Add(text is null ? "is not valid Unicode text (invalid UTF-8 or a lone surrogate)." : "must not contain the NUL character (\\u0000).");
            return;
        }

        // 1e400 overflows a double: said plainly, whatever type the schema asks for.
        if (value.ValueKind == JsonValueKind.Number && (!value.TryGetDouble(out var number) || !double.IsFinite(number)))
        {
            Add("is too large a number.");
            return;
        }

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
                ValidateObject(schema, value, path, depth, limits, errors);
                break;
            case JsonValueKind.Array:
                ValidateArray(schema, value, path, depth, limits, errors, Add);
                break;
            case JsonValueKind.String:
                ValidateString(schema, text!, limits, Add);
                break;
            case JsonValueKind.Number:
                ValidateNumber(schema, value, type, Add);
                break;
        }
    }

    private static void ValidateObject(JsonObject schema, JsonElement value, string path, int depth, PayloadLimits limits, PayloadErrors errors)
    {
        var properties = schema["properties"] as JsonObject;
        if (schema["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r!.GetValue<string>()))
            {
                if (!value.TryGetProperty(name, out var present) || present.ValueKind == JsonValueKind.Null)
                {
                    errors.Add(Join(path, name), "is required.");
                }
            }
        }

        if (schema["oneOf"] is JsonArray alternatives)
        {
            ValidateExactlyOne(alternatives, value, path, errors);
        }

        foreach (var property in value.EnumerateObject())
        {
            if (ReadName(property) is not { } name || name.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(path.Length == 0 ? "payload" : path, "has a property name that is not valid Unicode text or contains NUL.");
            }
            else if (name.Length > limits.MaxStringLength)
            {
                errors.Add(Join(path, name), $"is not a field of this payload: a name may have at most {limits.MaxStringLength} characters.");
            }
            else if (properties?[name] is JsonObject propertySchema)
            {
                if (property.Value.ValueKind != JsonValueKind.Null)
                {
                    Validate(propertySchema, property.Value, Join(path, name), depth + 1, limits, errors);
                }
            }
            else if (schema["additionalProperties"] is JsonValue additional && !additional.GetValue<bool>())
            {
                errors.Add(Join(path, name), "is not a field of this payload.");
            }
            else
            {
                // Not described by the schema, yet stored and handed to the worker: bounded all the same.
                Validate(AnyValue, property.Value, Join(path, name), depth + 1, limits, errors);
            }
        }
    }

    private static void ValidateArray(JsonObject schema, JsonElement value, string path, int depth, PayloadLimits limits, PayloadErrors errors, Action<string> add)
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

        var itemSchema = schema["items"] as JsonObject ?? AnyValue;
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            Validate(itemSchema, item, $"{path}[{index++}]", depth + 1, limits, errors);
        }
    }

    private static void ValidateString(JsonObject schema, string value, PayloadLimits limits, Action<string> add)
    {
        if (schema["maxLength"] is null && value.Length > limits.MaxStringLength)
        {
            add($"must be at most {limits.MaxStringLength} characters long, is {value.Length}.");
            return;
        }

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
            add(schema[SchemaKeywords.PatternMessage] is JsonValue message ? message.GetValue<string>() : $"must match {pattern.GetValue<string>()}.");
        }
    }

    private static void ValidateNumber(JsonObject schema, JsonElement element, string? type, Action<string> add)
    {
        var value = element.GetDouble();
        // An integer beyond 64 bits overflows every integer type a handler would read it into.
        if (type == "integer" && !element.TryGetInt64(out _))
        {
            add(Math.Abs(value) >= 9.2e18
                ? $"is too large: an integer must be between {long.MinValue} and {long.MaxValue}."
                : "must be written as a plain integer, without an exponent.");
            return;
        }

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
        "integer" => value.ValueKind == JsonValueKind.Number && IsIntegral(value),
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new InvalidOperationException($"Schema type '{type}' is not supported."),
    };

    // Integral but possibly beyond 64 bits (99999999999999999999999): ValidateNumber then says it is too large.
    private static bool IsIntegral(JsonElement value) =>
        value.TryGetInt64(out _) || (value.TryGetDouble(out var number) && Math.Floor(number) == number
            && !value.GetRawText().Contains('.', StringComparison.Ordinal));

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => IsIntegral(value) ? "an integer" : "a fractional number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        var kind => Article(kind.ToString().ToLowerInvariant()) + " " + kind.ToString().ToLowerInvariant(),
    };

    private static string Article(string word) => "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string? ReadText(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string? ReadName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Join(string path, string name)
    {
        var shown = name.Length <= MaxNameInPath ? name : name[..MaxNameInPath] + "…";
        return path.Length == 0 ? shown : $"{path}.{shown}";
    }
}
