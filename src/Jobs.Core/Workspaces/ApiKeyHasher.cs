using System.Security.Cryptography;
using System.Text;

namespace Jobs.Core.Workspaces;

/// <summary>
/// API keys are random and long, so a plain SHA-256 is enough to keep them safe at rest (no salt or stretching
/// needed, unlike passwords), and it lets a key be found by its hash with one index lookup.
/// </summary>
public static class ApiKeyHasher
{
    public static byte[] Hash(string apiKey) => SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    public static string NewKey() => "jobs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
}
