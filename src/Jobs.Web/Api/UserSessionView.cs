namespace Jobs.Web.Api;

/// <summary>A live UI session of a user as <c>GET /api/users/{id}/sessions</c> lists it: its prefix, never the key.</summary>
public sealed record UserSessionView(Guid Id, string? Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset ExpiresAt);
