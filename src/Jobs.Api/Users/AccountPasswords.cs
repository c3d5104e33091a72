using Jobs.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace Jobs.Api.Users;

/// <summary>
/// Passwords across a person's accounts (one per workspace, migration 0011). Accounts of one email that share a
/// password share its hash string, so a password is verified once per distinct hash however many workspaces it
/// opens, and "the same password" can be read from the rows without the password at hand (switching workspaces).
/// </summary>
public static class AccountPasswords
{
    /// <summary>How many distinct passwords of one email are tried; more accounts with yet other passwords are not.</summary>
    public const int MaxDistinctPasswords = 10;

    private static readonly PasswordHasher<UserAccount> Hasher = new();

    // Verifying against a real hash when there is nothing to verify keeps an unknown email as slow as a known one.
    private static readonly string DummyHash = Hasher.HashPassword(null!, "not-a-password");

    /// <summary>The accounts that <paramref name="password"/> opens, in the order given.</summary>
    public static IReadOnlyList<UserAccount> Matching(IReadOnlyList<UserAccount> accounts, string password)
    {
        var hashes = accounts.Where(a => a.PasswordHash is not null).Select(a => a.PasswordHash!).Distinct().Take(MaxDistinctPasswords).ToList();
        if (hashes.Count == 0)
        {
            Verifies(DummyHash, password);
            return [];
        }

        var opened = hashes.Where(hash => Verifies(hash, password)).ToHashSet(StringComparer.Ordinal);
        return [.. accounts.Where(a => a.PasswordHash is not null && opened.Contains(a.PasswordHash))];
    }

    /// <summary>
    /// The hash to store for <paramref name="password"/> on an account of an email whose other accounts are
    /// <paramref name="sameEmail"/>: the hash of the one it opens, which links the accounts, else a new one. It costs
    /// the same either way, so its time tells nothing about the address's other accounts.
    /// </summary>
    public static string HashFor(IReadOnlyList<UserAccount> sameEmail, string password)
    {
        var fresh = Hasher.HashPassword(null!, password);
        return Matching(sameEmail, password) is [var linked, ..] ? linked.PasswordHash! : fresh;
    }

    private static bool Verifies(string hash, string password) =>
        Hasher.VerifyHashedPassword(null!, hash, password) != PasswordVerificationResult.Failed;
}
