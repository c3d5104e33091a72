namespace Jobs.Web.Api;

/// <summary><c>GET /api/contacts/ids</c>: how many contacts match the filters, and the newest of their ids.</summary>
public sealed record ContactIds(long Total, IReadOnlyList<Guid> Ids);
