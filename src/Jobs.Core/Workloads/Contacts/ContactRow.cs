namespace Jobs.Core.Workloads.Contacts;

/// <summary>A row of <c>contacts</c> with its tags, written by the contact jobs and the Development seed.</summary>
public sealed record ContactRow(
    Guid Id,
    string Email,
    string? FirstName,
    string? LastName,
    string? Company,
    string? Phone,
    bool OptedOut,
    bool DoNotContact,
    IReadOnlyList<string> Tags,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
