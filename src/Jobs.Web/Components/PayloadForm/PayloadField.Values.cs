using System.Text.Json;
using Jobs.Web.Components.Display;

namespace Jobs.Web.Components.PayloadForm;

/// <summary>A form's fields filled from a stored payload, and an API problem's payload errors put on them.</summary>
public sealed partial class PayloadField
{
    /// <summary>
    /// Fills each field from the property at its name in <paramref name="payload"/> (a stored schedule's), or its
    /// schema's default when the payload has none.
    /// </summary>
    public static void Load(IEnumerable<PayloadField> fields, JsonElement payload)
    {
        foreach (var field in fields)
        {
            var value = (JsonElement?)payload;
            foreach (var segment in field.Name.Split('.'))
            {
                value = value is { ValueKind: JsonValueKind.Object } parent && parent.TryGetProperty(segment, out var child) ? child : null;
            }

            field.Load(value ?? field.Default);
        }
    }

    /// <summary>
    /// Puts a problem's <c>payload.*</c> errors on their fields (<c>payload.contactIds[3]</c> on the contactIds field as
    /// "Item 4: …", <c>payload.filters.tag</c> on that field); returns the messages that belong to no field (the type,
    /// the payload itself), each with its field's label.
    /// </summary>
    public static IReadOnlyList<string> PlaceErrors(IReadOnlyList<PayloadField> fields, IReadOnlyDictionary<string, string[]> errors)
    {
        const string prefix = "payload.";
        var unplaced = new List<string>();
        foreach (var (key, messages) in errors)
        {
            var path = key.StartsWith(prefix, StringComparison.Ordinal) ? key[prefix.Length..] : null;
            var field = path is null ? null : fields
                .Where(f => path == f.Name || path.StartsWith(f.Name + "[", StringComparison.Ordinal) || path.StartsWith(f.Name + ".", StringComparison.Ordinal))
                .MaxBy(f => f.Name.Length);
            if (field is not null)
            {
                var item = path!.Length > field.Name.Length && path[field.Name.Length] == '[' && int.TryParse(path[(field.Name.Length + 1)..].Split(']')[0], out var index)
                    ? $"Item {index + 1}: "
                    : "";
                var text = string.Join(' ', messages.Select(m => item + (item.Length > 0 ? m : DisplayFormat.Sentence(m))));
                field.Error = field.Error is null ? text : $"{field.Error} {text}";
            }
            else
            {
                unplaced.AddRange(messages.Select(m => $"{DisplayFormat.Label(key)} {m}"));
            }
        }

        return unplaced;
    }
}
