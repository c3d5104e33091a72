using Jobs.Api.Auth;
using Jobs.Api.Problems;
using Jobs.Api.Security;
using Jobs.Core.Workspaces;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Jobs.Api.Sessions;

/// <summary>
/// Sign-in for the web UI: email and password buy a short-lived API key, which the UI keeps in its encrypted cookie
/// and sends like any other key. The UI never touches the database, as DESIGN §2's topology has it.
/// </summary>
public static class SessionsApi
{
    public const string SignInRateLimitPolicy = "sign-in";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public sealed record SignInRequest(string? Email, string? Password);

    public sealed record SessionResponse(string ApiKey, DateTimeOffset ExpiresAt, MeResponse Me);

    public sealed record MeResponse(Guid UserId, string Email, string DisplayName, Guid WorkspaceId, string WorkspaceName, string Role);

    // Verifying against a real hash when the email is unknown keeps both failures equally slow.
    private static readonly string DummyHash = new PasswordHasher<UserAccount>().HashPassword(null!, "not-a-password");

    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Sessions");
        group.MapPost("/sessions", SignIn)
            .AllowAnonymous()
            .WithNoStore()
            .RequireRateLimiting(SignInRateLimitPolicy)
            .WithName("SignIn")
            .WithSummary("Exchange email and password for a session API key (used by the web UI)");
        group.MapDelete("/sessions/current", SignOut)
            .RequireAuthorization()
            .WithName("SignOut")
            .WithSummary("Revoke the API key this request was made with");
        group.MapGet("/me", GetMe)
            .RequireAuthorization()
            .WithName("GetMe")
            .WithSummary("Who the caller is");
        return app;
    }

    public static async Task<Results<Created<SessionResponse>, ValidationProblem, ProblemHttpResult>> SignIn(
        SignInRequest? request,
        IWorkspaceStore workspaces,
        SignInThrottle throttle,
        HttpContext httpContext,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request?.Email) || request.Email.Length > 320)
        {
            errors["email"] = ["is required."];
        }

        if (string.IsNullOrEmpty(request?.Password) || request.Password.Length > 1000)
        {
            errors["password"] = ["is required."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        if (throttle.TryAttempt(request!.Email!) is { } wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many sign-in attempts",
                $"Too many attempts for this account: try again in {seconds} s.");
        }

        var user = await workspaces.UserFindByEmailAsync(request.Email!.Trim(), cancellationToken);
        var hasher = new PasswordHasher<UserAccount>();
        var verified = hasher.VerifyHashedPassword(user!, user?.PasswordHash ?? DummyHash, request.Password!);
        if (user?.PasswordHash is null || verified == PasswordVerificationResult.Failed)
        {
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "invalid_credentials", "Sign-in failed", "The email or the password is wrong.");
        }

        return await StartSessionAsync(user, workspaces, time, cancellationToken);
    }

    /// <summary>Signs <paramref name="user"/> in: a session key and who they are, as <c>POST /api/sessions</c> answers.</summary>
    public static async Task<Created<SessionResponse>> StartSessionAsync(UserAccount user, IWorkspaceStore workspaces, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = await workspaces.SessionCreateAsync(new Caller(user.WorkspaceId, user.Id) { Role = user.Role }, SessionLifetime, cancellationToken);
        return TypedResults.Created("/api/me", new SessionResponse(key, time.GetUtcNow() + SessionLifetime, ToMe(user)));
    }

    public static async Task<NoContent> SignOut(HttpContext httpContext, IWorkspaceStore workspaces, ApiKeyCache keys, CancellationToken cancellationToken)
    {
        if (ApiKeyAuthenticationHandler.KeyOf(httpContext.Request) is { } key)
        {
            await workspaces.ApiKeyRevokeAsync(key, cancellationToken);
            await keys.EvictAsync(ApiKeyHasher.Hash(key));
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMe(HttpContext httpContext, IWorkspaceStore workspaces, CancellationToken cancellationToken)
    {
        var caller = httpContext.User.ToCaller();
        var user = await workspaces.UserGetAsync(caller.UserId, cancellationToken);
        return user is null
            ? ApiProblems.Problem(StatusCodes.Status401Unauthorized, "unauthenticated", "Unknown user")
            : TypedResults.Ok(ToMe(user));
    }

    private static MeResponse ToMe(UserAccount user) => new(user.Id, user.Email, user.DisplayName, user.WorkspaceId, user.WorkspaceName, user.Role);
}
