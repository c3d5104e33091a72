using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Catalog;
using Jobs.Web.Api;

namespace Jobs.Web.Components.PayloadForm;

/// <summary>
/// One property of a job type's payload schema (the JSON Schema subset the catalog uses) and the value the user is
/// typing for it. The form reads the schema once and keeps a list of these.
/// </summary>
public sealed class PayloadField
{
    private readonly Dictionary<string, JsonElement> _choices;

    private PayloadField(string name, PayloadFieldKind kind, bool required, JsonElement schema)
    {
        Name = name;
        Kind = kind;
        Required = required;
        Description = StringOf(schema, "description");
        Minimum = NumberOf(schema, "minimum");
        Maximum = NumberOf(schema, "maximum");
        MinLength = (int?)NumberOf(schema, "minLength");
        MaxLength = (int?)NumberOf(schema, "maxLength");
        _choices = schema.TryGetProperty("enum", out var choices) && choices.ValueKind == JsonValueKind.Array
            ? choices.EnumerateArray().ToDictionary(c => c.ValueKind == JsonValueKind.String ? c.GetString()! : c.GetRawText(), c => c.Clone(), StringComparer.Ordinal)
            : [];
        Default = schema.TryGetProperty("default", out var value) ? value.Clone() : null;
        Accept = StringOf(schema, SchemaKeywords.Accept);
        Reset();
    }

    /// <summary>The property every upload-taking job type names its upload by (contacts.import, journey.from-diagram).</summary>
    public const string UploadIdName = "uploadId";

    public string Name { get; }

    public PayloadFieldKind Kind { get; }

    public bool Required { get; }

    public string? Description { get; }

    public double? Minimum { get; }

    public double? Maximum { get; }

    public int? MinLength { get; }

    public int? MaxLength { get; }

    /// <summary>The enum's values as the select shows them; an enum may hold numbers too, sent back as numbers.</summary>
    public IReadOnlyCollection<string> Choices => _choices.Keys;

    public JsonElement? Default { get; }

    // The value, in the shape its input binds to.
    public long? Integer { get; set; }

    public double? Number { get; set; }

    public string? Text { get; set; }

    public bool Boolean { get; set; }

    /// <summary>An upload field's accepted types, or null for any file.</summary>
    public string? Accept { get; }

    /// <summary>The file whose upload id <see cref="Text"/> holds, as the API stored it.</summary>
    public UploadView? Upload { get; set; }

    /// <summary>True while the chosen file is on its way to the API: the form waits for its id.</summary>
    public bool Uploading { get; set; }

    /// <summary>The API's message for this field after a rejected submit (<c>errors["payload.{Name}"]</c>).</summary>
    public string? Error { get; set; }

    /// <summary>Helper text: the schema's description, with the allowed range and the default.</summary>
    public string HelperText
    {
        get
        {
            var parts = new List<string>();
            if (Description is { Length: > 0 })
            {
                parts.Add(Description.TrimEnd('.') + ".");
            }

            if (Minimum is not null || Maximum is not null)
            {
                parts.Add($"{Format(Minimum) ?? "…"} to {Format(Maximum) ?? "…"}.");
            }

            if (MinLength is not null || MaxLength is not null)
            {
                parts.Add($"{MinLength ?? 0} to {(MaxLength is { } max ? max.ToString(CultureInfo.InvariantCulture) : "any number of")} characters.");
            }

            if (Default is { } value)
            {
                parts.Add($"Default {(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())}.");
            }

            return string.Join(' ', parts);
        }
    }

    /// <summary>
    /// The fields of an object schema, required ones first, each in the order the schema lists them; properties marked
    /// <see cref="SchemaKeywords.FormHidden"/> are left out.
    /// </summary>
    public static IReadOnlyList<PayloadField> FromSchema(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var required = schema.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Select(n => n.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        return [.. properties.EnumerateObject()
            .Where(p => !(p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty(SchemaKeywords.FormHidden, out var hidden) && hidden.ValueKind == JsonValueKind.True))
            .Select(p => new PayloadField(p.Name, KindOf(p.Name, p.Value), required.Contains(p.Name), p.Value))
            .OrderBy(f => f.Required ? 0 : 1)];
    }

    public void Reset()
    {
        Error = null;
        Upload = null;
        Uploading = false;
        Integer = Default is { ValueKind: JsonValueKind.Number } i && i.TryGetInt64(out var whole) ? whole : null;
        Number = Default is { ValueKind: JsonValueKind.Number } n ? n.GetDouble() : null;
        Boolean = Default is { ValueKind: JsonValueKind.True };
        Text = Default switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Array or JsonValueKind.Object } json => json.GetRawText(),
            _ => Kind == PayloadFieldKind.Choice && Required ? Choices.FirstOrDefault() : null,
        };
    }

    /// <summary>The value for the payload, or null to leave the property out (so the API applies its default).</summary>
    /// <exception cref="JsonException">A JSON field holds text that is not JSON.</exception>
    public JsonNode? ToJson() => Kind switch
    {
        PayloadFieldKind.Integer => Integer is { } i ? JsonValue.Create(i) : null,
        PayloadFieldKind.Number => Number is { } n ? JsonValue.Create(n) : null,
        PayloadFieldKind.Boolean => JsonValue.Create(Boolean),
        PayloadFieldKind.Text or PayloadFieldKind.Upload => string.IsNullOrEmpty(Text) ? null : JsonValue.Create(Text),
        PayloadFieldKind.Choice => Text is not null && _choices.TryGetValue(Text, out var choice) ? JsonNode.Parse(choice.GetRawText()) : null,
        _ => string.IsNullOrWhiteSpace(Text) ? null : JsonNode.Parse(Text),
    };

    private static PayloadFieldKind KindOf(string name, JsonElement schema)
    {
        if (name == UploadIdName && StringOf(schema, "type") == "string")
        {
            return PayloadFieldKind.Upload;
        }

        if (schema.TryGetProperty("enum", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            return PayloadFieldKind.Choice;
        }

        return StringOf(schema, "type") switch
        {
            "integer" => PayloadFieldKind.Integer,
            "number" => PayloadFieldKind.Number,
            "string" => PayloadFieldKind.Text,
            "boolean" => PayloadFieldKind.Boolean,
            _ => PayloadFieldKind.Json,
        };
    }

    private static string? StringOf(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? NumberOf(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static string? Format(double? value) => value?.ToString("#,##0.###", CultureInfo.InvariantCulture);
}
