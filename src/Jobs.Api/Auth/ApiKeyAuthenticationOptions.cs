using Microsoft.AspNetCore.Authentication;

namespace Jobs.Api.Auth;

/// <summary>Options of <see cref="ApiKeyAuthenticationHandler"/>.</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// Paths under which the key may also come as <c>?access_token=</c> or <c>Authorization: Bearer</c>. Browsers
    /// cannot set headers on a WebSocket, so SignalR clients send the key in the query string there (and as a bearer
    /// token on negotiate). Kept to the hubs: elsewhere a key in a URL would only end up in logs and histories.
    /// </summary>
    public IReadOnlyList<PathString> TokenPaths { get; set; } = [];
}
