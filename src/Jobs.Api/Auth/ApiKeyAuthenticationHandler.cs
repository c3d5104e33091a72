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
/// stops working within that time.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IWorkspaceStore workspaces,
    IMemoryCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (KeyOf(Request) is not { } key)
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

        var identity = new ClaimsIdentity(
            [new Claim(CallerClaims.WorkspaceId, caller.WorkspaceId.ToString()), new Claim(CallerClaims.UserId, caller.UserId.ToString())],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>Where a key's lookup is cached; sign-out evicts it so a revoked session stops at once.</summary>
    public static object CacheKey(string apiKey) => ("api-key", Convert.ToHexString(ApiKeyHasher.Hash(apiKey)));

    /// <summary>The API key a request carries, if any.</summary>
    public static string? KeyOf(HttpRequest request) =>
        request.Headers.TryGetValue(HeaderName, out var values) && values.ToString() is { Length: > 0 } key ? key : null;

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblems.Problem(StatusCodes.Status401Unauthorized, "unauthenticated", "Authentication required",
            $"Send a valid API key in the {HeaderName} header.").ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "Not allowed").ExecuteAsync(Context);
}
