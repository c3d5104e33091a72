namespace Jobs.Core.Workloads.Contacts;

/// <summary>One contact as an export writes it.</summary>
public sealed record ExportedContact(
    Guid Id,
    string Email,
    string? FirstName,
    string? LastName,
    string? Company,
    string? Phone,
    bool OptedOut,
    bool DoNotContact,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt);
