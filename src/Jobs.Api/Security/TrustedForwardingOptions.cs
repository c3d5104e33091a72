namespace Jobs.Api.Security;

/// <summary>
/// Section <c>Api:TrustedForwarding</c>: the secret the web shows with the browser's address, so that the API counts
/// sign-in failures per browser instead of per web server (<see cref="ClientAddress"/>). Unset, no forwarded address
/// is trusted.
/// </summary>
public sealed class TrustedForwardingOptions
{
    public const string Section = "Api:TrustedForwarding";

    /// <summary>Shortest secret accepted: a guessable one would let anyone choose the address they are counted under.</summary>
    public const int MinSecretLength = 16;

    /// <summary>The secret; the web has the same one in <c>Jobs:Web:ForwardingSecret</c>. Empty or unset: trust nothing.</summary>
    public string? Secret { get; set; }

    public bool IsValid() => string.IsNullOrEmpty(Secret) || Secret.Length >= MinSecretLength;
}
