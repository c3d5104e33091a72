namespace Jobs.Core.Identity;

/// <summary>
/// The outcome of a role change, with the hashes of the user's usable keys so that the caller can evict them from
/// lookup caches: a role is read with the key, and a demotion must not wait for a cache to expire.
/// </summary>
public sealed record UserRoleSetResult(UserRoleSetOutcome Outcome, WorkspaceUser? User, IReadOnlyList<byte[]> ActiveKeyHashes);
