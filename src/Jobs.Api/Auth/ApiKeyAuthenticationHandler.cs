using System.Diagnostics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Jobs.Api.Problems;
using Jobs.Core.Workspaces;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Auth;

/// <summary>
/// <c>X-Api-Key</c> → the workspace and user the key was issued to. Lookups go through <see cref="ApiKeyCache"/>, which
/// every instance evicts the moment a key is revoked, so a revoked key answers 401 on its next request; each use is
/// recorded as the key's last use (<see cref="ApiKeyUsageRecorder"/>). Under
/// <see cref="ApiKeyAuthenticationOptions.TokenPaths"/> (the SignalR hubs) the key may also come as
/// <c>?access_token=</c> or <c>Authorization: Bearer</c>.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyCache keys,
    ApiKeyUsageRecorder usage) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string AccessTokenQueryName = "access_token";
    private const string BearerPrefix = "Bearer ";

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

        // Taken before the lookup, which may race with the key's revocation (ApiKeyConnections).
        var checkedAt = Stopwatch.GetTimestamp();
        var caller = await keys.FindCallerAsync(key, Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        if (caller.ApiKeyId is { } keyId)
        {
            usage.Record(keyId);
        }

        var identity = new ClaimsIdentity(CallerClaims.Of(caller), SchemeName);
        identity.AddClaims(ApiKeyConnections.ClaimsOf(key, checkedAt, caller.ApiKeyExpiresAt));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

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
