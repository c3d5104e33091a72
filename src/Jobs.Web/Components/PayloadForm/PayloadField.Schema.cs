using System.Text.Json;
using Jobs.Contracts.Jobs;

namespace Jobs.Web.Components.PayloadForm;

/// <summary>Reading a job type's payload schema into form fields: which fields, in what order, and each one's editor.</summary>
public sealed partial class PayloadField
{
    /// <summary>
    /// The fields of an object schema, required ones first, each in the order the schema lists them; an optional
    /// object with properties of its own becomes its fields (named <c>object.property</c>); properties marked
    /// <see cref="SchemaKeywords.FormHidden"/> are left out.
    /// </summary>
    public static IReadOnlyList<PayloadField> FromSchema(JsonElement schema) => [.. FieldsOf(schema, null, parentRequired: true)];

    private static IEnumerable<PayloadField> FieldsOf(JsonElement schema, string? group, bool parentRequired)
    {
        if (schema.ValueKind != JsonValueKind.Object || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var required = schema.TryGetProperty("required", out var names) && names.ValueKind == JsonValueKind.Array
            ? names.EnumerateArray().Select(n => n.GetString()).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        return properties.EnumerateObject()
            .Where(p => !(p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty(SchemaKeywords.FormHidden, out var hidden) && hidden.ValueKind == JsonValueKind.True))
            .Select(p => (Property: p, Required: parentRequired && required.Contains(p.Name)))
            .OrderBy(p => p.Required ? 0 : 1)
            .SelectMany(p =>
            {
                var name = group is null ? p.Property.Name : $"{group}.{p.Property.Name}";
                return group is null && IsGroup(p.Property.Value)
                    ? FieldsOf(p.Property.Value, name, p.Required)
                    : [new PayloadField(name, group, KindOf(p.Property.Name, p.Property.Value, p.Required), p.Required, p.Property.Value)];
            });
    }

    /// <summary>
    /// For a field typed as JSON, the shape to type, from the names its schema gives: <c>[{"description": …,
    /// "quantity": …}]</c> for a list of objects; null when the schema names no properties.
    /// </summary>
    public string? JsonShape => Kind == PayloadFieldKind.Json && ShapeOf(_itemSchema) is { } item ? $"[{item}]" : null;

    private static string? ShapeOf(JsonElement schema) =>
        schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.EnumerateObject().Select(p => $"\"{p.Name}\": …").ToList() is { Count: > 0 } members
            ? $"{{{string.Join(", ", members)}}}"
            : null;

    private static bool IsGroup(JsonElement schema) =>
        StringOf(schema, "type") == "object" && schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
        && properties.EnumerateObject().Any();

    private static PayloadFieldKind KindOf(string name, JsonElement schema, bool required)
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
            "string" when NumberOf(schema, "maxLength") is not { } max || max > SingleLineMaxLength => StringOf(schema, "format") is null && StringOf(schema, "pattern") is null or "\\S"
                ? PayloadFieldKind.MultilineText
                : PayloadFieldKind.Text,
            "string" => PayloadFieldKind.Text,
            // On or off, unless it is an optional filter with no default: then "either" is a third answer, not "off".
            "boolean" => required || schema.TryGetProperty("default", out _) ? PayloadFieldKind.Boolean : PayloadFieldKind.Choice,
            "array" when schema.TryGetProperty("items", out var items) && StringOf(items, "type") == "string" => PayloadFieldKind.List,
            _ => PayloadFieldKind.Json,
        };
    }
}
