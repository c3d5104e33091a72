using Jobs.Core.Workloads.Contacts;

namespace Jobs.Api.Contacts;

/// <summary>
/// Which contacts a list shows, in which order, from where. Every filter is optional; they combine with AND.
/// <see cref="Search"/> matches anywhere in the email, first name, last name, full name or company, without regard to case.
/// </summary>
public sealed record ContactFilter(
    string? Tag,
    string? Search,
    bool? OptedOut,
    bool? DoNotContact,
    ContactSort Sort,
    int Limit,
    ContactCursor? After)
{
    /// <summary>Which contacts match, as the store selects them (the export takes the same).</summary>
    public ContactMatch Match => new(Tag, OptedOut, DoNotContact, Search);
}
