using System.Security.Cryptography;
using System.Text;

namespace Jobs.Core.Identity;

/// <summary>
/// API keys are random and long, so a plain SHA-256 is enough to keep them safe at rest (no salt or stretching
/// needed, unlike passwords), and it lets a key be found by its hash with one index lookup.
/// </summary>
public static class ApiKeyHasher
{
    public static byte[] Hash(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    /// <summary>How many leading characters of a key are kept in clear, enough to recognise it, far too few to use it.</summary>
    public const int PrefixLength = 12;

    /// <summary>The part of a key that is stored and shown in clear (docs/design.md, "Tenancy").</summary>
    public static string PrefixOf(string apiKey) => apiKey.Length <= PrefixLength ? apiKey[..Math.Min(4, apiKey.Length)] : apiKey[..PrefixLength];

    public static string NewKey() => "jobs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));

    /// <summary>A sign-in device token: random, stored as its hash like a key, but never accepted as one.</summary>
    public static string NewDeviceToken() => "jobsdev_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
