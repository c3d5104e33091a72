namespace Jobs.Core.Identity;

/// <summary>A reset link used: the account whose password it set, and the sessions it ended (for cache eviction).</summary>
public sealed record PasswordResetUse(UserAccount User, IReadOnlyList<byte[]> RevokedKeyHashes);
