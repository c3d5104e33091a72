using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobs.Web.Api;
using Jobs.Web.Components.Display;

namespace Jobs.Web.Components.PayloadForm;

/// <summary>A list field's values: splitting typed or pasted text into items, removing and clearing them.</summary>
public sealed partial class PayloadField
{
    /// <summary>
    /// Splits typed or pasted text into list values (at commas, semicolons and line breaks; at spaces too for ids) and
    /// adds the valid ones; what is left (an invalid or duplicate value, or the last value still being typed when
    /// <paramref name="all"/> is false) stays in <see cref="Text"/> with the reason in <see cref="Error"/>. While the
    /// user types (<paramref name="all"/> false) the field is not marked touched: a half-typed value is no error yet.
    /// </summary>
    /// <summary>
    /// Before a form is sent (a submit, a template, a schedule): a list value still in its box counts as meant, so it
    /// is added (or refused with its reason), and every field shows its problems.
    /// </summary>
    /// <returns>False while a file is still uploading: the form cannot be sent yet.</returns>
    public static bool CommitAll(IReadOnlyList<PayloadField> fields)
    {
        foreach (var field in fields)
        {
            if (field.Kind == PayloadFieldKind.List && !string.IsNullOrWhiteSpace(field.Text))
            {
                field.AddItems(all: true);
            }

            field.Touched = true;
        }

        return !fields.Any(f => f.Uploading);
    }

    public void AddItems(bool all)
    {
        var text = Text ?? "";
        var separators = TakesIds ? new[] { ',', ';', '\n', '\r', ' ', '\t' } : [',', ';', '\n', '\r'];
        var parts = text.Split(separators);
        var complete = all ? parts : parts[..^1];
        var left = new List<string>();
        string? reason = null;
        foreach (var part in complete.Select(p => p.Trim()).Where(p => p.Length > 0))
        {
            var problem = ItemProblem(part)
                ?? (Items.Contains(part, StringComparer.Ordinal) ? "is in the list already" : null)
                ?? (MaxItems is { } max && Items.Count >= max ? $"would make more than {max.ToString("#,##0", CultureInfo.InvariantCulture)}" : null);
            if (problem is null)
            {
                Items.Add(part);
            }
            else
            {
                left.Add(part);
                reason ??= $"“{Shorten(part)}” {problem}.";
            }
        }

        var rest = all ? "" : parts[^1];
        if (complete.Length > 0)
        {
            _consumed = text;
        }

        Text = string.Join(", ", left.Append(rest).Where(p => p.Length > 0));
        Error = reason is null ? null : left.Count > 1 ? $"{reason} {left.Count - 1} more value(s) were not added either: they stay in the box." : reason;
        Touched |= all;
    }

    /// <summary>
    /// True when <paramref name="value"/> is text this field has already split into its list (or that plus the line
    /// break Enter typed): a late event of the input box, sent before the box showed what was left, not new values.
    /// </summary>
    public bool Consumed(string? value) =>
        _consumed is not null && value is not null && value.TrimEnd('\r', '\n') == _consumed.TrimEnd('\r', '\n');

    public void RemoveItem(string item)
    {
        Items.Remove(item);
        _consumed = null;
        Changed();
    }

    public void ClearItems()
    {
        Items.Clear();
        _consumed = null;
        Changed();
    }
}
