using System.Security.Cryptography;
using System.Text;

namespace Jobs.Core.Webhooks;

/// <summary>
/// Secrets and signatures as Standard Webhooks defines them (https://www.standardwebhooks.com): a secret is
/// <c>whsec_</c> + base64 of random bytes, the HMAC key is those bytes, and a signature is <c>v1,</c> + base64 of
/// HMAC-SHA256 over <c>{webhook-id}.{webhook-timestamp}.{body}</c>. Several signatures are separated by spaces.
/// </summary>
public static class WebhookSignature
{
    public const string SecretPrefix = "whsec_";
    public const int SecretBytes = 32;

    public static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(SecretBytes));

    /// <summary>The <c>webhook-signature</c> header: one signature per secret, the current one first.</summary>
    public static string Header(string messageId, long timestamp, string body, params IEnumerable<string?> secrets) =>
        string.Join(' ', secrets.OfType<string>().Select(secret => Sign(secret, messageId, timestamp, body)));

    public static string Sign(string secret, string messageId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret);
        var hash = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{messageId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(hash);
    }
}
