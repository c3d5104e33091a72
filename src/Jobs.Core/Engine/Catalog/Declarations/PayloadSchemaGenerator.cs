using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// A job type's payload schema, generated from its payload record with <see cref="JsonSchemaExporter"/> in the subset
/// <see cref="PayloadValidator"/> understands. The record says the rules: a parameter without a default or a
/// <c>required</c> member is required unless it is nullable; <c>[Range]</c>, <c>[StringLength]</c>,
/// <c>[MinLength]</c>/<c>[MaxLength]</c>/<c>[Length]</c> (of a string or a list), <c>[RegularExpression]</c> (its
/// <c>ErrorMessage</c> is the <see cref="SchemaKeywords.PatternMessage"/>) and <c>[Description]</c> add their keywords;
/// the attributes of this namespace add ours. Every object is closed (<c>additionalProperties: false</c>), every id
/// (<see cref="Guid"/>) has the id pattern, enums are their names. A rule it cannot say is an error, never dropped.
/// </summary>
public static partial class PayloadSchemaGenerator
{
    /// <summary>An id as a payload writes it: hexadecimal digits in five groups (<c>format: uuid</c> says the same to a form).</summary>
    public const string UuidPattern = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    public const string UuidMessage = "must be an id: 32 hexadecimal digits in five groups, such as 0191d2c4-5e6f-7a8b-9c0d-1e2f3a4b5c6d.";

    private static readonly JsonSchemaExporterOptions ExporterOptions = new()
    {
        TreatNullObliviousAsNonNullable = true,
        TransformSchemaNode = Transform,
    };

    /// <summary>The schema of <paramref name="payloadType"/>, as the catalog stores and the API reads it.</summary>
    public static JsonObject Generate(Type payloadType)
    {
        var schema = JobJson.SchemaOptions.GetJsonSchemaAsNode(payloadType, ExporterOptions) as JsonObject;
        if (schema?["type"]?.GetValue<string>() != "object")
        {
            throw new NotSupportedException($"The payload of a job type is a JSON object; {payloadType.Name} is not.");
        }

        Normalize(schema, payloadType.Name);
        // Read back from its text, as the API reads it from the catalog: what is published is what is validated.
        return JsonNode.Parse(schema.ToJsonString())!.AsObject();
    }

    /// <summary>The JSON name of the payload's <see cref="BatchItemsAttribute"/> list, or null when it has none.</summary>
    public static string? ItemsFieldOf(Type payloadType)
    {
        var marked = JobJson.SchemaOptions.GetTypeInfo(payloadType).Properties
            .Where(p => AttributesOf(p).OfType<BatchItemsAttribute>().Any())
            .ToList();
        return marked switch
        {
            [] => null,
            [var list] when JobJson.SchemaOptions.GetTypeInfo(list.PropertyType).Kind == JsonTypeInfoKind.Enumerable => list.Name,
            _ => throw new NotSupportedException($"{payloadType.Name}: [BatchItems] marks one list of the payload, not {string.Join(", ", marked.Select(p => p.Name))}."),
        };
    }

    private static JsonNode Transform(JsonSchemaExporterContext context, JsonNode node)
    {
        if (node is not JsonObject schema)
        {
            return node;
        }

        var type = Nullable.GetUnderlyingType(context.TypeInfo.Type) ?? context.TypeInfo.Type;
        if (type == typeof(Guid))
        {
            schema["pattern"] = UuidPattern;
            schema[SchemaKeywords.PatternMessage] = UuidMessage;
        }

        if (context.TypeInfo.Kind == JsonTypeInfoKind.Object)
        {
            schema["additionalProperties"] = false;
            if (type.GetCustomAttribute<DestructiveAttribute>() is not null)
            {
                schema[SchemaKeywords.Destructive] = true;
            }

            if (type.GetCustomAttribute<ExactlyOneOfAttribute>() is { } exactlyOne)
            {
                schema["oneOf"] = ExactlyOne(context.TypeInfo, exactlyOne);
            }
        }

        if (context.PropertyInfo is { } property)
        {
            var target = new Target(schema, type, context.TypeInfo.Kind == JsonTypeInfoKind.Enumerable, $"{property.DeclaringType.Name}.{property.Name}");
            foreach (var attribute in AttributesOf(property))
            {
                Apply(attribute, target);
            }
        }

        return schema;
    }

    private static void Apply(Attribute attribute, Target target)
    {
        var (schema, type, isList, where) = target;
        var isText = type == typeof(string);
        switch (attribute)
        {
            case DescriptionAttribute description:
                schema["description"] = description.Description;
                break;
            case RegularExpressionAttribute pattern when isText:
                schema["pattern"] = pattern.Pattern;
                if (pattern.ErrorMessage is { } message)
                {
                    schema[SchemaKeywords.PatternMessage] = message;
                }

                break;
            case StringLengthAttribute length when isText:
                SetLength(schema, isList, length.MinimumLength > 0 ? length.MinimumLength : null, length.MaximumLength);
                break;
            case MinLengthAttribute min when isText || isList:
                SetLength(schema, isList, min.Length, null);
                break;
            case MaxLengthAttribute { Length: > 0 } max when isText || isList:
                SetLength(schema, isList, null, max.Length);
                break;
            case LengthAttribute length when isText || isList:
                SetLength(schema, isList, length.MinimumLength, length.MaximumLength);
                break;
            case RangeAttribute { MinimumIsExclusive: false, MaximumIsExclusive: false } range:
                schema["minimum"] = Number(range.Minimum, where);
                schema["maximum"] = Number(range.Maximum, where);
                break;
            case EachItemAttribute each when isList && schema["items"] is JsonObject items:
                ApplyToItems(each, items);
                break;
            case UniqueItemsAttribute when isList:
                schema["uniqueItems"] = true;
                break;
            case FormHiddenAttribute:
                schema[SchemaKeywords.FormHidden] = true;
                break;
            case UploadAttribute upload when type == typeof(Guid):
                schema[SchemaKeywords.Accept] = upload.Accept;
                break;
            case BatchItemsAttribute when isList:
                // Not a schema keyword: the catalog entry's items field (ItemsFieldOf).
                break;
            case ValidationAttribute or EachItemAttribute or UniqueItemsAttribute or BatchItemsAttribute or UploadAttribute:
                throw new NotSupportedException($"{where}: [{attribute.GetType().Name.Replace("Attribute", "", StringComparison.Ordinal)}] is not a rule the payload schema can say here.");
        }
    }

    private static void ApplyToItems(EachItemAttribute each, JsonObject items)
    {
        if (each.Description is { } description)
        {
            items["description"] = description;
        }

        SetLength(items, isList: false, each.MinLength > 0 ? each.MinLength : null, each.MaxLength > 0 ? each.MaxLength : null);
        if (each.NotBlank)
        {
            items["pattern"] = NotBlankAttribute.NotBlankPattern;
            items[SchemaKeywords.PatternMessage] = NotBlankAttribute.Message;
        }
    }

    private static void SetLength(JsonObject schema, bool isList, int? min, int? max)
    {
        if (min is { } least)
        {
            schema[isList ? "minItems" : "minLength"] = least;
        }

        if (max is { } most)
        {
            schema[isList ? "maxItems" : "maxLength"] = most;
        }
    }

    // A whole bound stays whole (maximum: 100, not 100.0), as the hand-written schemas had it.
    private static JsonValue Number(object bound, string where) => bound switch
    {
        int or long or short or byte => JsonValue.Create(Convert.ToInt64(bound, CultureInfo.InvariantCulture)),
        double or float or decimal => JsonValue.Create(Convert.ToDouble(bound, CultureInfo.InvariantCulture)),
        _ => throw new NotSupportedException($"{where}: [Range] takes numbers, not {bound.GetType().Name}."),
    };

    private static JsonArray ExactlyOne(JsonTypeInfo type, ExactlyOneOfAttribute exactlyOne)
    {
        var alternatives = new JsonArray();
        foreach (var member in exactlyOne.Properties)
        {
            var property = type.Properties.FirstOrDefault(p => p.AttributeProvider is MemberInfo m && m.Name == member)
                ?? throw new NotSupportedException($"{type.Type.Name}: [ExactlyOneOf] names {member}, which is not one of its properties.");
            alternatives.Add(new JsonObject { ["required"] = new JsonArray(property.Name) });
        }

        return alternatives;
    }

    /// <summary>A property's schema, its type (nullable or not), whether it is a list, and its name for messages.</summary>
    private sealed record Target(JsonObject Schema, Type Type, bool IsList, string Where);

    /// <summary>The attributes on a property and on the constructor parameter it is read from (a positional record's).</summary>
    private static IEnumerable<Attribute> AttributesOf(JsonPropertyInfo property) =>
        (property.AttributeProvider?.GetCustomAttributes(inherit: true) ?? [])
            .Concat(property.AssociatedParameter?.AttributeProvider?.GetCustomAttributes(inherit: true) ?? [])
            .OfType<Attribute>();
}
