using System.Globalization;
using CsvHelper;
using Jobs.Core.Workloads.Contacts;

namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// Contacts as RFC 4180 CSV (UTF-8, CRLF, a header row). The first seven columns are the ones <c>contacts.import</c>
/// reads, so an export imports back as it is. Text a spreadsheet would run as a formula (starting with =, +, -, @)
/// is escaped with a leading apostrophe: names come from users and imports.
/// </summary>
public static class ContactsCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    public static IReadOnlyList<string> Header { get; } =
    [
        "email", "first_name", "last_name", "company", "phone", "opted_out", "do_not_contact", "tags", "created_at", "id",
    ];

    /// <summary>Between the tags of the <c>tags</c> column.</summary>
    public const string TagSeparator = ";";

    public static CsvWriterOptions Options { get; } = CsvWriterOptions.Default with { Injection = CsvInjection.Escape, TrueValue = "true", FalseValue = "false" };

    public static void WriteHeader(CsvWriter csv) => csv.WriteHeader([.. Header]);

    public static void Write(CsvWriter csv, ExportedContact contact)
    {
        csv.WriteField(contact.Email);
        csv.WriteField(contact.FirstName);
        csv.WriteField(contact.LastName);
        csv.WriteField(contact.Company);
        csv.WriteField(contact.Phone);
        csv.WriteField(contact.OptedOut);
        csv.WriteField(contact.DoNotContact);
        csv.WriteField(string.Join(TagSeparator, contact.Tags));
        csv.WriteField(contact.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        csv.WriteField(contact.Id.ToString());
    }
}
