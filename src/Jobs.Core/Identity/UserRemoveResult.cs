namespace Jobs.Core.Identity;

/// <summary>
/// The outcome of removing a user, with the hashes of the keys and sessions it revoked, so that the caller can evict
/// them from lookup caches and end their live connections at once.
/// </summary>
public sealed record UserRemoveResult(UserRemoveOutcome Outcome, IReadOnlyList<byte[]> RevokedKeyHashes);
