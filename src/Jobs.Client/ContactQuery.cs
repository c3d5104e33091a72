namespace Jobs.Client;

/// <summary>
/// Which contacts a list reads (<c>GET /api/contacts</c> and <c>/api/contacts/ids</c>); a null or empty member does not
/// filter. <see cref="Sort"/> is <c>newest</c> (the default) or <c>email</c>, and only the list reads it.
/// </summary>
public sealed record ContactQuery(string? Tag = null, string? Search = null, bool? OptedOut = null, bool? DoNotContact = null, string? Sort = null);
