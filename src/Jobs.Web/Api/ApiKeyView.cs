namespace Jobs.Web.Api;

/// <summary>
/// A key of the workspace as <c>GET /api/keys</c> lists it: never the key itself, only the prefix it starts with, so a
/// leaked key can be recognised and revoked.
/// </summary>
public sealed record ApiKeyView(
    Guid Id,
    string Name,
    string? Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    ApiKeyCreator? CreatedBy)
{
    public bool IsRevoked => RevokedAt is not null;

    /// <summary>How the list shows a key: its prefix and an ellipsis for the secret part, e.g. <c>jobs_1a2b3c4…</c>.</summary>
    public string Display => Prefix is { Length: > 0 } ? $"{Prefix}…" : "(created before prefixes were kept)";
}
