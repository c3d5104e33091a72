using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Jobs.Contracts.Jobs;
using Jobs.Web.Api;
using Jobs.Web.Components.Display;

namespace Jobs.Web.Components.PayloadForm;

/// <summary>Checking what the user typed against the field's schema, one sentence per problem.</summary>
public sealed partial class PayloadField
{
    /// <summary>What is wrong with the value as it stands, as a sentence; null when it may be sent.</summary>
    public string? Problem => Kind switch
    {
        PayloadFieldKind.Integer => NumberProblem(integer: true),
        PayloadFieldKind.Number => NumberProblem(integer: false),
        PayloadFieldKind.Text or PayloadFieldKind.MultilineText => Empty(Text) ? RequiredProblem : TextProblem(Text!, MinLength, MaxLength, Pattern, PatternMessage),
        PayloadFieldKind.Choice or PayloadFieldKind.Upload => Empty(Text) ? RequiredProblem : null,
        PayloadFieldKind.List => ListProblem(),
        PayloadFieldKind.Json => JsonProblem(),
        _ => null,
    };

    private string? RequiredProblem => Required ? $"{Label} is required." : null;

    private string? NumberProblem(bool integer)
    {
        if (Empty(Text))
        {
            return RequiredProblem;
        }

        var text = Text!.Trim();
        var plain = integer ? PlainInteger().IsMatch(text) : PlainNumber().IsMatch(text);
        if (!plain)
        {
            return integer ? "Enter a whole number in digits, such as 12." : "Enter a number in digits, such as 2.5.";
        }

        if (integer && !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            return $"Must be at most {Format(Maximum ?? long.MaxValue)}.";
        }

        var value = double.Parse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return value < Minimum ? $"Must be at least {Format(Minimum)}."
            : value > Maximum ? $"Must be at most {Format(Maximum)}."
            : null;
    }

    private static string? TextProblem(string text, int? minLength, int? maxLength, string? pattern, string? patternMessage)
    {
        if (minLength is { } min && text.Length < min)
        {
            return $"Must be at least {min} characters long.";
        }

        if (maxLength is { } max && text.Length > max)
        {
            return $"Must be at most {max.ToString("#,##0", CultureInfo.InvariantCulture)} characters long; this is {text.Length.ToString("#,##0", CultureInfo.InvariantCulture)}.";
        }

        if (pattern is not null && !Regex.IsMatch(text, pattern, RegexOptions.None, PatternTimeout))
        {
            return DisplayFormat.Sentence(patternMessage ?? "is not in the expected form.");
        }

        return null;
    }

    private string? ItemProblem(string item) => _itemSchema.ValueKind != JsonValueKind.Object ? null
        : TextProblem(item, (int?)NumberOf(_itemSchema, "minLength"), (int?)NumberOf(_itemSchema, "maxLength"),
            StringOf(_itemSchema, "pattern"), StringOf(_itemSchema, SchemaKeywords.PatternMessage)) is { } problem
            ? char.ToLowerInvariant(problem[0]) + problem[1..].TrimEnd('.')
            : null;

    private string? ListProblem()
    {
        if (!Empty(Text))
        {
            return Error ?? $"“{Shorten(Text!.Trim())}” is not added yet: press Enter to add it, or clear it.";
        }

        if (Items.Count == 0)
        {
            return RequiredProblem;
        }

        return MinItems is { } min && Items.Count < min ? $"Add at least {min}."
            : MaxItems is { } max && Items.Count > max ? $"At most {max.ToString("#,##0", CultureInfo.InvariantCulture)}; this list has {Items.Count.ToString("#,##0", CultureInfo.InvariantCulture)}."
            : null;
    }

    private string? JsonProblem()
    {
        if (Empty(Text))
        {
            return RequiredProblem;
        }

        try
        {
            JsonNode.Parse(Text!);
            return null;
        }
        catch (JsonException)
        {
            return "Is not valid JSON.";
        }
    }


    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex PlainInteger();

    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")]
    private static partial Regex PlainNumber();
}
