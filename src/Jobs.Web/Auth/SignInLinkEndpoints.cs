using System.Security.Cryptography;
using System.Text;
using Jobs.Contracts.Sessions;
using Jobs.Web.Api;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Jobs.Web.Auth;

/// <summary>
/// One-time sign-in links for a developer, minted by the AppHost's "Sign in as demo" dashboard command. The command
/// posts the demo user's email and password with the secret the AppHost gave this process
/// (<see cref="WebOptions.SignInLinkSecret"/>); the web signs in through the API as its sign-in page does and keeps
/// the session under a random code for <see cref="LinkLifetime"/>. Opening <c>GET /signin/link?code=…</c> once sets
/// the session cookie. No key or password travels in a URL. Mapped only in Development with a secret configured,
/// which only the AppHost's run mode sets.
/// </summary>
public static class SignInLinkEndpoints
{
    public const string Path = "/signin/link";
    public const string SecretHeader = "X-Sign-In-Link-Secret";
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(2);

    public sealed record CreateRequest(string? Email, string? Password);

    public sealed record CreateResponse(string Path, DateTimeOffset ExpiresAt);

    public static IEndpointRouteBuilder MapSignInLinks(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment() || string.IsNullOrEmpty(app.Services.GetRequiredService<IOptions<WebOptions>>().Value.SignInLinkSecret))
        {
            return app;
        }

        // Not a form of ours: the secret header is the check that antiforgery would otherwise be. A JSON endpoint for
        // the AppHost, so its 404 and 401 go back as they are, not re-executed as the UI's not-found page.
        app.MapPost(Path, Create).AllowAnonymous().DisableAntiforgery()
            .WithMetadata(new SkipStatusCodePagesAttribute())
            .WithName("CreateSignInLink");
        app.MapGet(Path, Redeem).AllowAnonymous().WithName("RedeemSignInLink");
        return app;
    }

    public static async Task<Results<Ok<CreateResponse>, NotFound, UnauthorizedHttpResult>> Create(
        CreateRequest? request,
        HttpContext httpContext,
        SessionsApiClient sessions,
        IMemoryCache links,
        IOptions<WebOptions> options,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        // A wrong secret looks like no endpoint at all.
        if (!SecretMatches(httpContext.Request.Headers[SecretHeader], options.Value.SignInLinkSecret!))
        {
            return TypedResults.NotFound();
        }

        if (string.IsNullOrWhiteSpace(request?.Email) || string.IsNullOrEmpty(request.Password)
            || await sessions.SignInAsync(request.Email, request.Password, deviceToken: null, httpContext.Connection.RemoteIpAddress, cancellationToken) is not { Session: { } session })
        {
            return TypedResults.Unauthorized();
        }

        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var expiresAt = time.GetUtcNow() + LinkLifetime;
        links.Set(CacheKey(code), session, expiresAt);
        return TypedResults.Ok(new CreateResponse($"{Path}?code={code}", expiresAt));
    }

    /// <summary>Signs the browser in once; a used, expired or unknown code leads to the sign-in page, which says so.</summary>
    public static async Task<RedirectHttpResult> Redeem(string? code, HttpContext httpContext, IMemoryCache links)
    {
        if (string.IsNullOrEmpty(code) || !links.TryGetValue(CacheKey(code), out SessionResponse? session) || session is null)
        {
            return TypedResults.LocalRedirect($"{AccountEndpoints.SignInPath}?linkInvalid=true");
        }

        links.Remove(CacheKey(code));
        await SessionCookie.SignInAsync(httpContext, session);
        return TypedResults.LocalRedirect("/");
    }

    private static string CacheKey(string code) => $"signin-link:{code}";

    private static bool SecretMatches(string? given, string expected) =>
        given is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}
