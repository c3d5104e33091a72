using Jobs.Core.Workloads.Contacts;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// Checks one row of a contacts CSV and normalizes it. Reasons name the column and say what is wrong, so a person can
/// fix the file: a missing or invalid email, a value too long for its column, a phone with letters, a flag that is
/// not a boolean. Values are trimmed, and the apostrophe an export puts before a value starting with = + - @ is taken
/// off. Duplicates within the file are the reader's concern: they need the rows before.
/// </summary>
public static class ContactRowValidator
{
    public const int MaxEmailLength = 254;
    public const int MaxNameLength = 100;
    public const int MaxCompanyLength = 200;
    public const int MaxPhoneLength = 40;

    private static readonly string[] TrueValues = ["true", "yes", "y", "1", "t"];
    private static readonly string[] FalseValues = ["false", "no", "n", "0", "f"];

    /// <returns>The row, or null with the reasons it is invalid.</returns>
    public static (ContactImportRow? Row, string? Reason) Validate(
        long line, string? email, string? firstName, string? lastName, string? company, string? phone, string? optedOut, string? doNotContact)
    {
        var reasons = new List<string>();
        var normalizedEmail = Clean(email)?.ToLowerInvariant();
        if (normalizedEmail is null)
        {
            reasons.Add("missing email");
        }
        else if (normalizedEmail.Length > MaxEmailLength)
        {
            reasons.Add($"email is longer than {MaxEmailLength} characters");
        }
        else if (!IsEmail(normalizedEmail))
        {
            reasons.Add($"invalid email '{Shorten(normalizedEmail)}'");
        }

        var first = Text("first_name", firstName, MaxNameLength, reasons);
        var last = Text("last_name", lastName, MaxNameLength, reasons);
        var org = Text("company", company, MaxCompanyLength, reasons);
        var tel = Text("phone", phone, MaxPhoneLength, reasons);
        if (tel is not null && !tel.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.' or '/'))
        {
            reasons.Add($"phone '{Shorten(tel)}' has characters other than digits, spaces and + - ( ) . /");
        }

        var opted = Flag("opted_out", optedOut, reasons);
        var dnc = Flag("do_not_contact", doNotContact, reasons);
        return reasons.Count > 0
            ? (null, string.Join("; ", reasons))
            : (new ContactImportRow(line, normalizedEmail!, first, last, org, tel, opted, dnc), null);
    }

    /// <summary>One @, something before it, a dot in the domain, nothing blank: the check that catches typos, not RFC 5322.</summary>
    public static bool IsEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != email.LastIndexOf('@') || email.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ',' or ';' or '<' or '>' or '"'))
        {
            return false;
        }

        var domain = email[(at + 1)..];
        var dot = domain.LastIndexOf('.');
        return dot > 0 && dot < domain.Length - 1 && !domain.StartsWith('.') && !domain.Contains("..", StringComparison.Ordinal);
    }

    private static string? Text(string column, string? value, int maxLength, List<string> reasons)
    {
        var text = Clean(value);
        if (text is not null && text.Length > maxLength)
        {
            reasons.Add($"{column} is longer than {maxLength} characters ({text.Length})");
            return null;
        }

        return text;
    }

    private static bool? Flag(string column, string? value, List<string> reasons)
    {
        var text = Clean(value);
        if (text is null)
        {
            return null;
        }

        if (TrueValues.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        if (FalseValues.Contains(text, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        reasons.Add($"{column} must be true or false (or yes/no, 1/0), is '{Shorten(text)}'");
        return null;
    }

    private static string? Clean(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        // An export escapes text a spreadsheet would run as a formula ("+1 555…") with a leading apostrophe: an
        // exported file imports back as it was.
        return text.Length > 1 && text[0] == '\'' && text[1] is '=' or '+' or '-' or '@' ? text[1..] : text;
    }

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
