using Jobs.Contracts.Sessions;
using Jobs.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Jobs.Web.Auth;

/// <summary>
/// Turns a session from the API into the web's cookie: one way for the sign-in page and the accept-invite page, so
/// both set the same claims and the same lifetime.
/// </summary>
public static class SessionCookie
{
    public static Task SignInAsync(HttpContext httpContext, SessionResponse session) =>
        httpContext.SignInAsync(
            CookieAuthenticationDefaults.AuthenticationScheme,
            SessionClaims.ToPrincipal(session),
            // The cookie lives exactly as long as the key inside it.
            new AuthenticationProperties { IsPersistent = true, ExpiresUtc = session.ExpiresAt });
}
