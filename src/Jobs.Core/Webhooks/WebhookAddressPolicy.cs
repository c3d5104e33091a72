using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Jobs.Core.Webhooks;

/// <summary>
/// Where webhooks may go (docs/security.md, "Webhooks"): http(s) only, and only to public addresses unless the operator
/// allows private networks or names the host in <see cref="WebhookOptions.AllowedHosts"/>. Checked when an endpoint is
/// registered and again, on the address actually connected to, at every send: DNS may answer differently later.
/// </summary>
public sealed class WebhookAddressPolicy(IOptions<WebhookOptions> options)
{
    /// <summary>Why the URL's form is refused (scheme, host, credentials), or null.</summary>
    public static string? FormRefusal(string? url, out Uri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var parsed))
        {
            return "must be an absolute http or https URL.";
        }

        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            return $"must use http or https, not '{parsed.Scheme}'.";
        }

        if (parsed.UserInfo.Length > 0)
        {
            return "must not carry a user name or password.";
        }

        if (parsed.Fragment.Length > 0)
        {
            return "must not have a fragment.";
        }

        uri = parsed;
        return null;
    }

    /// <summary>Whether the operator allows this host whatever it resolves to.</summary>
    public bool IsAllowedHost(string host) =>
        options.Value.AllowedHosts?.Any(allowed => string.Equals(allowed, host, StringComparison.OrdinalIgnoreCase)) == true;

    /// <summary>Why this address may not receive webhooks, or null.</summary>
    public string? AddressRefusal(IPAddress address) =>
        options.Value.AllowPrivateNetworks ? null : Classify(address) is { } kind ? $"{address} is a {kind} address" : null;

    /// <summary>
    /// The host's addresses, all of which may receive webhooks; throws <see cref="WebhookAddressRefusedException"/>
    /// when the host does not resolve or any of its addresses is refused (a host must not offer a private one).
    /// </summary>
    public async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            addresses = [literal];
        }
        else
        {
            try
            {
                addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
            }
            catch (SocketException ex)
            {
                throw new WebhookAddressRefusedException($"the host '{host}' does not resolve ({ex.SocketErrorCode}).");
            }
        }

        if (addresses.Length == 0)
        {
            throw new WebhookAddressRefusedException($"the host '{host}' has no address.");
        }

        if (!IsAllowedHost(host) && addresses.Select(AddressRefusal).FirstOrDefault(r => r is not null) is { } refusal)
        {
            throw new WebhookAddressRefusedException($"the host '{host}' is refused: {refusal}, and webhooks go to public addresses only.");
        }

        return addresses;
    }

    /// <summary>What kind of non-public address this is, or null for a public one.</summary>
    public static string? Classify(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return "loopback";
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return bytes switch
            {
                [0, ..] => "unspecified",
                [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] => "private",
                [100, >= 64 and <= 127, ..] => "shared (carrier-grade NAT)",
                [169, 254, ..] => "link-local",
                [>= 224 and <= 239, ..] => "multicast",
                [>= 240, ..] => "reserved",
                _ => null,
            };
        }

        if (address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any))
        {
            return "unspecified";
        }

        return address switch
        {
            { IsIPv6LinkLocal: true } => "link-local",
            { IsIPv6SiteLocal: true } => "site-local",
            { IsIPv6Multicast: true } => "multicast",
            _ when (bytes[0] & 0xFE) == 0xFC => "unique-local",
            _ => null,
        };
    }
}

/// <summary>A webhook URL whose host is not allowed to receive webhooks; the message says why.</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);
