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
    public const string SwitchPath = "/account/switch";
    public const string AccountPath = "/account";
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
        app.MapPost(SwitchPath, SwitchWorkspace)
            .RequireAuthorization()
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .AddEndpointFilter<AntiforgeryCheck>()
            .WithName("SwitchWorkspace");
        return app;
    }

    /// <summary>
    /// A form post from the workspace menu: the API ends this session and starts one in the chosen workspace of the same
    /// person, and the cookie takes the new one (only a plain HTTP response can set it).
    /// </summary>
    public static async Task<IResult> SwitchWorkspace(HttpContext httpContext, SessionsApiClient sessions, CancellationToken cancellationToken)
    {
        var form = await httpContext.Request.ReadFormAsync(cancellationToken);
        if (SessionClaims.ApiKeyOf(httpContext.User) is not { } apiKey || !Guid.TryParse(form["workspaceId"], out var workspaceId))
        {
            return TypedResults.LocalRedirect($"{AccountPath}?switchFailed=true");
        }

        if (await sessions.SwitchAsync(apiKey, workspaceId, cancellationToken) is not { } session)
        {
            return TypedResults.LocalRedirect($"{AccountPath}?switchFailed=true");
        }

        await SessionCookie.SignInAsync(httpContext, session);
        return TypedResults.LocalRedirect("/jobs");
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
