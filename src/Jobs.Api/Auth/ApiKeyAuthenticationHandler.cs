using System.Diagnostics;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Jobs.Api.Problems;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Auth;

/// <summary>
/// <c>X-Api-Key</c> → the workspace and user the key was issued to. Lookups go through <see cref="ApiKeyCache"/>, which
/// every instance evicts the moment a key is revoked, so a revoked key answers 401 on its next request; each use is
/// recorded as the key's last use (<see cref="ApiKeyUsageRecorder"/>).
/// </summary>
/// <remarks>
/// On the live channels (<see cref="ApiKeyAuthenticationOptions.IsTokenPath"/>: the SignalR hub and a job's event
/// stream) a caller may instead send <c>Authorization: Bearer</c> with a key or a stream token, or
/// <c>?access_token=</c> with a stream token (<see cref="StreamTokens"/>) only: browsers cannot set headers on a
/// WebSocket or an EventSource, and a key in a URL would end up in logs and histories. A stream token is refused
/// everywhere else.
/// </remarks>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    ApiKeyCache keys,
    StreamTokens streamTokens,
    ApiKeyUsageRecorder usage) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string AccessTokenQueryName = "access_token";
    private const string BearerPrefix = "Bearer ";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var (key, fromUrl) = ReadCredential();
        if (key is not { Length: > 0 })
        {
            return AuthenticateResult.NoResult();
        }

        if (key.Length > 200)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        // Taken before the lookup, which may race with the key's revocation (ApiKeyConnections).
        var checkedAt = Stopwatch.GetTimestamp();
        if (key.StartsWith(StreamTokens.Prefix, StringComparison.Ordinal))
        {
            return await AuthenticateStreamTokenAsync(key, checkedAt);
        }

        if (fromUrl)
        {
            return AuthenticateResult.Fail("An API key is not accepted in a URL: mint a stream token (POST /api/jobs/{id}/stream-token).");
        }

        var caller = await keys.FindCallerAsync(key, Context.RequestAborted);
        if (caller is null)
        {
            return AuthenticateResult.Fail("The API key is not valid.");
        }

        return Success(caller, ApiKeyCache.HashOf(key), checkedAt);
    }

    private async Task<AuthenticateResult> AuthenticateStreamTokenAsync(string token, long checkedAt)
    {
        if (!Options.IsTokenPath(Request.Path))
        {
            return AuthenticateResult.Fail("A stream token opens a job's event stream and the hub, nothing else.");
        }

        if (await streamTokens.ValidateAsync(token, Context.RequestAborted) is not { } stream)
        {
            return AuthenticateResult.Fail("The stream token is not valid, has expired, or its API key was revoked.");
        }

        return Success(stream.Caller, Convert.ToHexString(stream.KeyHash), checkedAt,
            new Claim(StreamTokens.ScopeClaim, stream.JobId?.ToString() ?? StreamTokens.WorkspaceScope));
    }

    private AuthenticateResult Success(Caller caller, string keyHash, long checkedAt, params Claim[] more)
    {
        if (caller.ApiKeyId is { } keyId)
        {
            usage.Record(keyId);
        }

        var identity = new ClaimsIdentity(CallerClaims.Of(caller), SchemeName);
        identity.AddClaims(ApiKeyConnections.ClaimsOf(keyHash, checkedAt, caller.ApiKeyExpiresAt));
        identity.AddClaims(more);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <summary>The API key a request carries in its header, if any.</summary>
    public static string? KeyOf(HttpRequest request) =>
        request.Headers.TryGetValue(HeaderName, out var values) && values.ToString() is { Length: > 0 } key ? key : null;

    /// <summary>
    /// <see cref="KeyOf"/>, or on <see cref="ApiKeyAuthenticationOptions.IsTokenPath"/> a bearer token or
    /// <c>?access_token=</c> (then <c>FromUrl</c>).
    /// </summary>
    private (string? Key, bool FromUrl) ReadCredential()
    {
        if (KeyOf(Request) is { } fromHeader)
        {
            return (fromHeader, false);
        }

        if (!Options.IsTokenPath(Request.Path))
        {
            return (null, false);
        }

        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return (authorization[BearerPrefix.Length..].Trim(), false);
        }

        return (Request.Query[AccessTokenQueryName].ToString(), true);
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        ApiProblems.Problem(StatusCodes.Status401Unauthorized, "unauthenticated", "Authentication required",
            $"Send a valid API key in the {HeaderName} header.").ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "Not allowed").ExecuteAsync(Context);
}
