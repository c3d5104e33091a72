namespace Jobs.Core.Identity;

/// <summary>A password reset link to issue for <see cref="UserId"/>; the database keeps only the token's hash.</summary>
public sealed record PasswordResetCreateParams(Caller IssuedBy, Guid UserId, byte[] TokenHash, DateTimeOffset ExpiresAt);
