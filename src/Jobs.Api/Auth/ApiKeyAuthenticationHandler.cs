using System.Security.Claims;
using System.Text.Encodings.Web;
using Jobs.Api.Problems;
using Jobs.Core.Workspaces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Auth;

/// <summary>
/// <c>X-Api-Key</c> → the workspace and user the key was issued to. Lookups are cached for a minute, so a revoked key
/// stops working within that time. Under <see cref="ApiKeyAuthenticationOptions.TokenPaths"/> (the SignalR hubs) the
/// key may also come as <c>?access_token=</c> or <c>Authorization: Bearer</c>.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IWorkspaceStore workspaces,
    IMemoryCache cache) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string AccessTokenQueryName = "access_token";
    private const string BearerPrefix = "Bearer ";
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (ReadKey() is not { Length: > 0 } key)
        {
            return AuthenticateResult.NoResult();
        }

        if (key.Length > 200)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var caller = await cache.GetOrCreateAsync(CacheKey(key), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return workspaces.ApiKeyFindCallerAsync(key, Context.RequestAborted);
        });
        if (caller is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        var identity = new ClaimsIdentity(CallerClaims.Of(caller), SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>Where a key's lookup is cached; sign-out evicts it so a revoked session stops at once.</summary>
    public static object CacheKey(string apiKey) => ("api-key", Convert.ToHexString(ApiKeyHasher.Hash(apiKey)));

    /// <summary>The API key a request carries, if any.</summary>
    public static string? KeyOf(HttpRequest request) =>
        request.Headers.TryGetValue(HeaderName, out var values) && values.ToString() is { Length: > 0 } key ? key : null;

    /// <summary><see cref="KeyOf"/>, or on <see cref="ApiKeyAuthenticationOptions.TokenPaths"/> a bearer token or <c>?access_token=</c>.</summary>
    private string? ReadKey()
    {
        if (KeyOf(Request) is { } fromHeader)
        {
            return fromHeader;
        }

        if (!Options.TokenPaths.Any(path => Request.Path.StartsWithSegments(path)))
        {
            return null;
        }

        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[BearerPrefix.Length..].Trim();
        }

        return Request.Query[AccessTokenQueryName].ToString();
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblems.Problem(StatusCodes.Status401Unauthorized, "unauthenticated", "Authentication required",
            $"Send a valid API key in the {HeaderName} header.").ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "Not allowed").ExecuteAsync(Context);
}
