using Jobs.Client;

namespace Jobs.Web.Components.Display;

/// <summary>
/// A problem's per-field errors sorted onto a form: each field of the form gets its reasons as a sentence, and what
/// belongs to no field of it (or a problem without field errors) becomes the form's message.
/// </summary>
public sealed class FieldErrors
{
    public static readonly FieldErrors None = new(new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase), null);

    private readonly Dictionary<string, string> _byField;

    private FieldErrors(Dictionary<string, string> byField, string? message)
    {
        _byField = byField;
        Message = message;
    }

    /// <summary>What to show above or below the form; null when every error sits at its field.</summary>
    public string? Message { get; }

    public string? this[string field] => _byField.GetValueOrDefault(field);

    public bool Has(string field) => _byField.ContainsKey(field);

    /// <param name="fields">The form's fields by their API names (<c>maxConcurrentJobs</c>); a key such as
    /// <c>limits.maxConcurrentJobs</c> lands on its last segment.</param>
    public static FieldErrors From(JobsApiException problem, params IReadOnlyCollection<string> fields) =>
        From(problem.Errors, problem.Summary, fields);

    /// <param name="errors">Reasons by field, as a problem's <c>errors</c> names them.</param>
    /// <param name="message">What the form says when no field has an error.</param>
    /// <param name="fields">As for <see cref="From(JobsApiException, IReadOnlyCollection{string})"/>.</param>
    public static FieldErrors From(IReadOnlyDictionary<string, string[]> errors, string? message, params IReadOnlyCollection<string> fields)
    {
        var byField = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var unplaced = new List<string>();
        foreach (var (key, reasons) in errors)
        {
            var field = fields.FirstOrDefault(f => key.Equals(f, StringComparison.OrdinalIgnoreCase)
                || key.EndsWith("." + f, StringComparison.OrdinalIgnoreCase));
            if (field is null)
            {
                unplaced.AddRange(reasons.Select(r => $"{DisplayFormat.Label(key)} {r}"));
            }
            else
            {
                var text = string.Join(' ', reasons.Select(DisplayFormat.Sentence));
                byField[field] = byField.TryGetValue(field, out var earlier) ? $"{earlier} {text}" : text;
            }
        }

        return new FieldErrors(byField, unplaced.Count > 0 ? string.Join(' ', unplaced) : errors.Count == 0 ? message : null);
    }
}
