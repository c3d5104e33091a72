namespace Jobs.Core.Identity;

/// <summary>A named API key as an admin sees it: never the key itself, only the prefix that recognises it.</summary>
public sealed record ApiKeyInfo(
    Guid Id,
    string Name,
    string? Prefix,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    Guid CreatedByUserId,
    string CreatedByEmail);
