namespace Jobs.Core.Identity;

/// <summary>A live UI session of a user (a session key): recognised by its prefix, never shown whole.</summary>
public sealed record UserSession(Guid Id, string? Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset ExpiresAt);
