using System.Security.Claims;
using Jobs.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Jobs.Web.Auth;

/// <summary>
/// Keeps a session cookie true to the API (<see cref="CookieAuthenticationEvents.OnValidatePrincipal"/>): at most once
/// per <see cref="WebOptions.SessionRecheckInterval"/> per session, <c>GET /api/me</c> with the session's key. A
/// key the API no longer accepts (signed out elsewhere, revoked, expired) signs the browser out; a changed role or
/// name replaces the cookie's claims, so that the menu and the admin pages follow an admin's change on the user's
/// next page load instead of at their next sign-in.
/// </summary>
/// <remarks>
/// When the API cannot be reached the cookie is kept as it is: an outage must not sign everybody out, and every call
/// the pages make still goes through the API, which checks the key itself.
/// </remarks>
public sealed class SessionValidator(
    SessionsApiClient sessions,
    IMemoryCache checkedRecently,
    IOptions<WebOptions> options,
    ILogger<SessionValidator> logger)
{
    public static Task ValidateAsync(CookieValidatePrincipalContext context) =>
        context.HttpContext.RequestServices.GetRequiredService<SessionValidator>().ValidatePrincipalAsync(context);

    private async Task ValidatePrincipalAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } user || SessionClaims.ApiKeyOf(user) is not { } apiKey)
        {
            context.RejectPrincipal();
            return;
        }

        var interval = options.Value.SessionRecheckInterval;
        var cacheKey = ("session-checked", apiKey);
        if (interval > TimeSpan.Zero && checkedRecently.TryGetValue(cacheKey, out _))
        {
            return;
        }

        (SessionState state, ClaimsPrincipal? refreshed) check;
        try
        {
            check = await SessionCheck.RunAsync(sessions, user, logger, context.HttpContext.RequestAborted);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        switch (check.state)
        {
            case SessionState.Ended:
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                return;
            case SessionState.Changed:
                // A new cookie with the same properties, so that it still expires with the key inside it (ShouldRenew
                // would move its expiry on by the time since sign-in).
                context.ReplacePrincipal(check.refreshed!);
                await context.HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, check.refreshed!, context.Properties);
                break;
        }

        if (check.state != SessionState.Unknown && interval > TimeSpan.Zero)
        {
            checkedRecently.Set(cacheKey, true, interval);
        }
    }
}
