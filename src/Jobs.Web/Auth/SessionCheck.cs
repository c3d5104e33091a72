using System.Security.Claims;
using Jobs.Client;
using Jobs.Contracts.Sessions;
using Jobs.Web.Api;
using Polly.Timeout;

namespace Jobs.Web.Auth;

/// <summary>What <see cref="SessionCheck.RunAsync"/> found out about a signed-in user's session.</summary>
public enum SessionState
{
    /// <summary>The API could not be asked; keep the session as it is until the next check.</summary>
    Unknown,

    /// <summary>The claims still say what the API says.</summary>
    Current,

    /// <summary>The role or a name changed: use the refreshed user.</summary>
    Changed,

    /// <summary>The API no longer accepts the session's key (signed out elsewhere, revoked, expired).</summary>
    Ended,
}

/// <summary>
/// Asks the API (<c>GET /api/me</c>) whether a signed-in user's session still holds and what it says now: one check
/// shared by page loads (<see cref="SessionValidator"/>) and open pages (<see cref="SessionStateProvider"/>).
/// </summary>
public static class SessionCheck
{
    public static async Task<(SessionState State, ClaimsPrincipal? Refreshed)> RunAsync(
        SessionsApiClient sessions, ClaimsPrincipal user, ILogger logger, CancellationToken cancellationToken)
    {
        if (SessionClaims.ApiKeyOf(user) is not { } apiKey)
        {
            return (SessionState.Ended, null);
        }

        MeResponse? me;
        try
        {
            me = await sessions.MeAsync(apiKey, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or JobsApiException)
        {
            logger.LogWarning("Could not check a session with the API ({Message}); keeping it until the next check", ex.Message);
            return (SessionState.Unknown, null);
        }

        if (me is null)
        {
            return (SessionState.Ended, null);
        }

        return SessionClaims.Matches(user, me) ? (SessionState.Current, null) : (SessionState.Changed, SessionClaims.ToPrincipal(apiKey, me));
    }
}
