using Microsoft.AspNetCore.Authentication;

namespace Jobs.Api.Auth;

/// <summary>Options of <see cref="ApiKeyAuthenticationHandler"/>.</summary>
public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    /// <summary>
    /// The live channels (the SignalR hub, a job's event stream), where a caller may authenticate with
    /// <c>Authorization: Bearer</c>, and with a stream token as <c>?access_token=</c>: browsers cannot set headers on a
    /// WebSocket or an EventSource. Kept to them: elsewhere a credential in a URL would only end up in logs and histories.
    /// </summary>
    public Func<PathString, bool> IsTokenPath { get; set; } = _ => false;
}
