namespace Jobs.Worker.Handlers.Contacts;

/// <summary>
/// Which contacts an export takes; each filter is optional and they combine with AND. <see cref="Search"/> matches
/// anywhere in the email, first name, last name, full name or company, without regard to case.
/// </summary>
public sealed record ContactExportFilters(string? Tag = null, bool? OptedOut = null, bool? DoNotContact = null, string? Search = null);
