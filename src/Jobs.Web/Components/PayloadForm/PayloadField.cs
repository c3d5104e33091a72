using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobs.Contracts.Files;
using Jobs.Contracts.Jobs;
using Jobs.Web.Api;
using Jobs.Web.Components.Display;

namespace Jobs.Web.Components.PayloadForm;

/// <summary>
/// One property of a job type's payload schema (the JSON Schema subset the catalog uses) and what the user typed for
/// it, exactly as typed: the form checks it against the schema (<see cref="Problem"/>) and sends it only when it is
/// valid, never a value it has rounded, clamped or dropped. The form reads the schema once and keeps a list of these;
/// the properties of a nested object (the export's filters) are fields of their own, named <c>filters.tag</c>.
/// </summary>
public sealed partial class PayloadField
{
    /// <summary>Strings longer than this (or of no stated length) get a text area, which keeps line breaks.</summary>
    public const int SingleLineMaxLength = 500;

    private static readonly TimeSpan PatternTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Dictionary<string, JsonElement> _choices;
    private readonly JsonElement _itemSchema;
    private string? _consumed;

    private PayloadField(string name, string? group, PayloadFieldKind kind, bool required, JsonElement schema)
    {
        Name = name;
        Group = group;
        Kind = kind;
        Required = required;
        Description = StringOf(schema, "description");
        Minimum = NumberOf(schema, "minimum");
        Maximum = NumberOf(schema, "maximum");
        MinLength = (int?)NumberOf(schema, "minLength");
        MaxLength = (int?)NumberOf(schema, "maxLength");
        Pattern = StringOf(schema, "pattern");
        PatternMessage = StringOf(schema, SchemaKeywords.PatternMessage);
        MinItems = (int?)NumberOf(schema, "minItems");
        MaxItems = (int?)NumberOf(schema, "maxItems");
        _itemSchema = schema.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Object ? items.Clone() : default;
        _choices = kind != PayloadFieldKind.Choice ? []
            : schema.TryGetProperty("enum", out var choices) && choices.ValueKind == JsonValueKind.Array
                ? choices.EnumerateArray().ToDictionary(c => c.ValueKind == JsonValueKind.String ? c.GetString()! : c.GetRawText(), c => c.Clone(), StringComparer.Ordinal)
                : new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["true"] = JsonSerializer.SerializeToElement(true), ["false"] = JsonSerializer.SerializeToElement(false) };
        Default = schema.TryGetProperty("default", out var value) ? value.Clone() : null;
        Accept = StringOf(schema, SchemaKeywords.Accept);
        Reset();
    }

    /// <summary>The property every upload-taking job type names its upload by (contacts.import, journey.from-diagram).</summary>
    public const string UploadIdName = "uploadId";

    /// <summary>The property's path in the payload: <c>items</c>, or <c>filters.tag</c> inside an object.</summary>
    public string Name { get; }

    /// <summary>The object property this one belongs to (<c>filters</c>), or null at the top level.</summary>
    public string? Group { get; }

    public PayloadFieldKind Kind { get; }

    public bool Required { get; }

    public string? Description { get; }

    public double? Minimum { get; }

    public double? Maximum { get; }

    public int? MinLength { get; }

    public int? MaxLength { get; }

    public string? Pattern { get; }

    public string? PatternMessage { get; }

    public int? MinItems { get; }

    public int? MaxItems { get; }

    /// <summary>The enum's values as the select shows them; an enum may hold numbers too, sent back as numbers.</summary>
    public IReadOnlyCollection<string> Choices => _choices.Keys;

    public JsonElement? Default { get; }

    /// <summary>What the user typed or chose, as text: numbers are parsed only when the payload is built.</summary>
    public string? Text { get; set; }

    public bool Boolean { get; set; }

    /// <summary>A list field's values, in the order they were added.</summary>
    public List<string> Items { get; } = [];

    /// <summary>An upload field's accepted types, or null for any file.</summary>
    public string? Accept { get; }

    /// <summary>The file whose upload id <see cref="Text"/> holds, as the API stored it.</summary>
    public UploadResponse? Upload { get; set; }

    /// <summary>True while the chosen file is on its way to the API: the form waits for its id.</summary>
    public bool Uploading { get; set; }

    /// <summary>The API's message for this field after a rejected submit (<c>errors["payload.{Name}"]</c>).</summary>
    public string? Error { get; set; }

    /// <summary>True once the user changed the field or tried to submit: from then on its problems show.</summary>
    public bool Touched { get; set; }

    /// <summary>What to show under the field: the API's message, else what is wrong with the value once touched.</summary>
    public string? ShownError => Error ?? (Touched ? Problem : null);

    /// <summary>"Items", "Tag" (of the filters), "Delay (ms)": a unit at the end of the name reads as one.</summary>
    public string Label => DisplayFormat.Label(Group is null ? Name : Name[(Group.Length + 1)..]) is var label && label.EndsWith(" ms", StringComparison.Ordinal)
        ? label[..^3] + " (ms)"
        : label;

    /// <summary>The item list takes ids (<c>format: uuid</c>): pasted ones may be separated by spaces or lines too.</summary>
    public bool TakesIds => _itemSchema.ValueKind == JsonValueKind.Object && StringOf(_itemSchema, "format") == "uuid";

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

            if (Kind == PayloadFieldKind.MultilineText && MaxLength is { } max)
            {
                parts.Add($"At most {max.ToString("#,##0", CultureInfo.InvariantCulture)} characters.");
            }

            if (JsonShape is { } shape)
            {
                parts.Add($"As {shape}.");
            }

            if (Default is { } value && Kind != PayloadFieldKind.Boolean)
            {
                parts.Add($"Default {(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText())}.");
            }

            return string.Join(' ', parts);
        }
    }

    /// <summary>
    /// The payload built from the fields' values, as the API's request records carry it; call it only when none has a
    /// <see cref="Problem"/>.
    /// </summary>
    public static JsonElement ToPayload(IEnumerable<PayloadField> fields)
    {
        var payload = new JsonObject();
        foreach (var field in fields)
        {
            if (field.ToJson() is not { } value)
            {
                continue;
            }

            var target = payload;
            var path = field.Name.Split('.');
            foreach (var segment in path[..^1])
            {
                target = target[segment] as JsonObject ?? (JsonObject)(target[segment] = new JsonObject());
            }

            target[path[^1]] = value;
        }

        return JsonSerializer.SerializeToElement(payload);
    }

    public void Reset()
    {
        Error = null;
        Touched = false;
        Upload = null;
        Uploading = false;
        Load(Default);
    }

    private void Load(JsonElement? value)
    {
        Boolean = value is { ValueKind: JsonValueKind.True };
        Items.Clear();
        if (Kind == PayloadFieldKind.List && value is { ValueKind: JsonValueKind.Array } list)
        {
            Items.AddRange(list.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String ? i.GetString()! : i.GetRawText()));
        }

        Text = value switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            { ValueKind: JsonValueKind.Number } n => n.GetRawText(),
            { ValueKind: JsonValueKind.True or JsonValueKind.False } b when Kind == PayloadFieldKind.Choice => b.GetRawText(),
            { ValueKind: JsonValueKind.Array or JsonValueKind.Object } json when Kind == PayloadFieldKind.Json => json.GetRawText(),
            _ => Kind == PayloadFieldKind.Choice && Required ? Choices.FirstOrDefault() : null,
        };
    }

    /// <summary>The user changed the value: the API's earlier message no longer applies, and problems show from now on.</summary>
    public void Changed()
    {
        Error = null;
        Touched = true;
    }

    /// <summary>The value for the payload, or null to leave the property out (so the API applies its default).</summary>
    public JsonNode? ToJson() => Kind switch
    {
        PayloadFieldKind.Integer => Empty(Text) ? null : JsonValue.Create(long.Parse(Text!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
        PayloadFieldKind.Number => Empty(Text) ? null : JsonValue.Create(double.Parse(Text!.Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture)),
        PayloadFieldKind.Boolean => JsonValue.Create(Boolean),
        PayloadFieldKind.Text or PayloadFieldKind.MultilineText or PayloadFieldKind.Upload => Empty(Text) ? null : JsonValue.Create(Text),
        PayloadFieldKind.Choice => Text is not null && _choices.TryGetValue(Text, out var choice) ? JsonNode.Parse(choice.GetRawText()) : null,
        PayloadFieldKind.List => Items.Count == 0 && !Required ? null : new JsonArray([.. Items.Select(ItemJson)]),
        _ => Empty(Text) ? null : JsonNode.Parse(Text!),
    };

    /// <summary>How a choice reads in the select: an optional yes/no filter says "Yes" and "No".</summary>
    public string ChoiceLabel(string choice) => choice switch
    {
        "true" when _choices[choice].ValueKind == JsonValueKind.True => "Yes",
        "false" when _choices[choice].ValueKind == JsonValueKind.False => "No",
        _ => choice,
    };

    private JsonNode ItemJson(string item) => JsonValue.Create(item);

    private static bool Empty(string? text) => string.IsNullOrWhiteSpace(text);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    private static string? StringOf(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double? NumberOf(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    private static string? Format(double? value) => value?.ToString("#,##0.###", CultureInfo.InvariantCulture);
}
