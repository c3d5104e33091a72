using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Security;

/// <summary>
/// The address a sign-in is counted under. Every sign-in through the web UI arrives from the web server, so the web
/// sends the browser's address in <see cref="AddressHeader"/> together with the shared secret in
/// <see cref="SecretHeader"/>; the API believes the address only when the secret matches
/// (<see cref="TrustedForwardingOptions"/>), and otherwise counts the connection's own address. A client that sends
/// the address without the secret is counted under its own address, whatever it claims.
/// </summary>
/// <remarks>
/// Addresses are compared as IPv4 addresses and as IPv6 /64 prefixes: one IPv6 subscriber usually holds a whole /64,
/// and counting each of its 2^64 addresses apart would make a per-address budget meaningless.
/// </remarks>
public sealed class ClientAddress(IOptions<TrustedForwardingOptions> options)
{
    public const string AddressHeader = "X-Jobs-Client-Address";
    public const string SecretHeader = "X-Jobs-Forwarding-Secret";
    private static readonly object ItemKey = new();

    private readonly byte[]? secretHash = string.IsNullOrEmpty(options.Value.Secret) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Secret));

    /// <summary>The caller's address as counted (an IPv4 address, an IPv6 /64 prefix, or <c>unknown</c>); read once per request.</summary>
    public string Of(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var known) && known is string address)
        {
            return address;
        }

        var resolved = Key(Forwarded(context) ?? context.Connection.RemoteIpAddress);
        context.Items[ItemKey] = resolved;
        return resolved;
    }

    /// <summary>The forwarded address, when the request shows the secret and names one.</summary>
    private IPAddress? Forwarded(HttpContext context)
    {
        if (secretHash is null || context.Request.Headers[SecretHeader] is not [{ } shown])
        {
            return null;
        }

        // Both sides hashed to one length, so the comparison takes the same time whatever was sent.
        if (!CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(shown)), secretHash))
        {
            return null;
        }

        return context.Request.Headers[AddressHeader] is [{ } text] && IPAddress.TryParse(text.Trim(), out var forwarded) ? forwarded : null;
    }

    /// <summary>An address as a counting key: IPv4 as itself, IPv6 by its /64.</summary>
    public static string Key(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }
}
