namespace Jobs.Core.Identity;

/// <summary>
/// A signed-in person's new password: <see cref="NewPasswordHash"/> replaces <see cref="CurrentPasswordHash"/> on every
/// account of theirs that shares it (their workspaces), and every session of those accounts but
/// <see cref="KeptSessionKeyHash"/> ends.
/// </summary>
public sealed record PasswordChangeParams(Caller Caller, string CurrentPasswordHash, string NewPasswordHash, byte[] KeptSessionKeyHash);
