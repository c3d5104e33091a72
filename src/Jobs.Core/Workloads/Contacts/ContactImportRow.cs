namespace Jobs.Core.Workloads.Contacts;

/// <summary>
/// A valid row of an import: the email trimmed and lower-cased, other values trimmed; null where the cell was empty
/// (or the column absent), which keeps a contact's existing value when the row updates it.
/// </summary>
public sealed record ContactImportRow(
    long Line,
    string Email,
    string? FirstName,
    string? LastName,
    string? Company,
    string? Phone,
    bool? OptedOut,
    bool? DoNotContact);
