using Jobs.Web.Api;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Jobs.Web.Auth;

/// <summary>
/// The sign-in page (<c>Components/Pages/SignIn.razor</c>, static server rendering, because only a plain HTTP
/// response can set a cookie) and the sign-out endpoint here.
/// </summary>
public static class AccountEndpoints
{
    public const string SignInPath = "/signin";
    public const string SignOutPath = "/signout";
    public const string AcceptInvitePath = "/accept-invite";
    public const string ReturnUrlParameter = "returnUrl";

    public static string SignInUrl(string? returnUrl, bool expired = false)
    {
        var query = new List<string>();
        if (IsLocal(returnUrl))
        {
            query.Add($"{ReturnUrlParameter}={Uri.EscapeDataString(returnUrl!)}");
        }

        if (expired)
        {
            query.Add("expired=true");
        }

        return query.Count == 0 ? SignInPath : $"{SignInPath}?{string.Join('&', query)}";
    }

    /// <summary>Only paths of this site: a return URL that leads elsewhere would make sign-in an open redirect.</summary>
    public static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(SignOutPath, SignOut)
            .RequireAuthorization()
            // A form post from the app bar; the token keeps another site from signing the user out.
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .AddEndpointFilter<AntiforgeryCheck>()
            .WithName("SignOut");
        return app;
    }

    /// <summary>Revokes the session's API key, then clears the cookie.</summary>
    public static async Task<IResult> SignOut(HttpContext httpContext, SessionsApiClient sessions, CancellationToken cancellationToken)
    {
        if (SessionClaims.ApiKeyOf(httpContext.User) is { } apiKey)
        {
            await sessions.SignOutAsync(apiKey, cancellationToken);
        }

        await httpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return TypedResults.LocalRedirect($"{SignInPath}?signedOut=true");
    }
}
