using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Api.Auth;
using Jobs.Api.Problems;
using Jobs.Api.Security;
using Jobs.Api.Users;
using Jobs.Contracts.Sessions;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Jobs.Api.Sessions;

/// <summary>
/// Sign-in for the web UI: email and password buy a short-lived API key, which the UI keeps in its encrypted cookie
/// and sends like any other key. The UI never touches the database, as the topology has it
/// (docs/design.md, "Topology").
/// </summary>
public static class SessionsApi
{
    public const string SignInRateLimitPolicy = "sign-in";
    public const string SignInThrottledCode = "sign_in_throttled";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public static IEndpointRouteBuilder MapSessionsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api").WithTags("Sessions");
        group.MapPost("/sessions", SignIn)
            .AllowAnonymous()
            .WithNoStore()
            .RequireRateLimiting(SignInRateLimitPolicy)
            .AddOpenApiOperationTransformer(DescribeThrottle)
            .WithName("SignIn")
            .WithSummary("Exchange email and password for a session API key (used by the web UI)");
        group.MapPost("/sessions/switch", SwitchWorkspace)
            .RequireAuthorization()
            .WithName("SwitchWorkspace")
            .WithSummary("End this session and start one in another of the person's workspaces (same email and password)");
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
        IOptions<SignInThrottleOptions> throttleOptions,
        ClientAddress clientAddress,
        HttpContext httpContext,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        UnknownFields.Check(request?.Unknown, "", errors);
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

        var email = request!.Email!.Trim();
        // A device this email signed in on before answers only to its own budget (SignInThrottle).
        var deviceToken = request.DeviceToken is { Length: > 0 and <= 200 } token
            && await workspaces.SignInDeviceCheckAsync(token, email, cancellationToken) ? token : null;
        // Before the password is checked: a throttled attempt is not checked at all, so its answer cannot depend on it.
        var attempt = await throttle.BeginAsync(email, clientAddress.Of(httpContext), deviceToken is null ? null : SignInThrottle.DeviceKey(deviceToken));
        if (!attempt.Allowed)
        {
            return Throttled(httpContext, attempt.RetryAfter);
        }

        // One person may have an account in several workspaces: the password opens those that share it, and the
        // session starts in the one used last.
        var accounts = await workspaces.UserListByEmailAsync(email, cancellationToken);
        if (AccountPasswords.Matching(accounts, request.Password!) is not [var user, ..])
        {
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "invalid_credentials", "Sign-in failed", "The email or the password is wrong.");
        }

        await attempt.SucceededAsync();
        var device = await workspaces.SignInDeviceIssueAsync(email, deviceToken, throttleOptions.Value.DeviceTokenLifetime, cancellationToken);
        return await StartSessionAsync(user, workspaces, time, cancellationToken, device);
    }

    /// <summary>The 429 of an operation that checks a password, as the OpenAPI document describes it.</summary>
    public static Task DescribeThrottle(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.GetValueOrDefault("429") is OpenApiResponse tooMany)
        {
            tooMany.Description = "Too many failed password checks (`sign_in_throttled`, with `retryAfterSeconds`): the password was not checked. "
                + "Or too many requests (`rate_limited`). Either way, try again after `Retry-After` seconds.";
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// 429 <c>sign_in_throttled</c> with <c>Retry-After</c> and <c>retryAfterSeconds</c>: too many failed password checks
    /// (<see cref="SignInThrottle"/>). It names no budget, so it tells nobody whether the email is under attack elsewhere.
    /// </summary>
    public static ProblemHttpResult Throttled(HttpContext httpContext, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var minutes = (seconds + 59) / 60;
        httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ApiProblems.Problem(StatusCodes.Status429TooManyRequests, SignInThrottledCode, "Too many failed attempts",
            $"Too many attempts: try again in {minutes} {(minutes == 1 ? "minute" : "minutes")}.",
            new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds });
    }

    /// <summary>Signs <paramref name="user"/> in: a session key and who they are, as <c>POST /api/sessions</c> answers.</summary>
    public static async Task<Created<SessionResponse>> StartSessionAsync(
        UserAccount user, IWorkspaceStore workspaces, TimeProvider time, CancellationToken cancellationToken, string? deviceToken = null)
    {
        var key = await workspaces.SessionCreateAsync(new Caller(user.WorkspaceId, user.Id) { Role = user.Role }, SessionLifetime, cancellationToken);
        var me = await MeOfAsync(user, workspaces, cancellationToken);
        return TypedResults.Created("/api/me", new SessionResponse(key, time.GetUtcNow() + SessionLifetime, me, deviceToken));
    }

    /// <summary>
    /// Ends the caller's session and starts one in another workspace where the same person (email and password) has an
    /// account. Any other workspace, the caller's own included, answers 404 as if it did not exist.
    /// </summary>
    public static async Task<Results<Created<SessionResponse>, ValidationProblem, ProblemHttpResult>> SwitchWorkspace(
        SwitchRequest? request,
        HttpContext httpContext,
        IWorkspaceStore workspaces,
        ApiKeyCache keys,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        UnknownFields.Check(request?.Unknown, "", errors);
        if (request?.WorkspaceId is null)
        {
            errors["workspaceId"] = ["is required."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var caller = httpContext.User.ToCaller();
        if (caller.ApiKeyKind != ApiKeyKinds.Session || ApiKeyAuthenticationHandler.KeyOf(httpContext.Request) is not { } currentKey)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "session_required", "Only a signed-in session switches workspaces",
                "An API key belongs to its workspace; sign in to switch between your workspaces.");
        }

        var linked = await workspaces.UserLinkedListAsync(caller.UserId, cancellationToken);
        var target = linked.FirstOrDefault(m => m.WorkspaceId == request!.WorkspaceId && m.UserId != caller.UserId);
        var key = target is null
            ? null
            : await workspaces.SessionSwitchAsync(currentKey, new Caller(target.WorkspaceId, target.UserId) { Role = target.Role }, SessionLifetime, cancellationToken);
        if (key is null || await workspaces.UserGetAsync(target!.UserId, cancellationToken) is not { } user)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "workspace_not_found", "Workspace not found",
                "You have no account in that workspace that this sign-in opens.");
        }

        await keys.EvictAsync(ApiKeyHasher.Hash(currentKey));
        return TypedResults.Created("/api/me", new SessionResponse(key, time.GetUtcNow() + SessionLifetime, await MeOfAsync(user, workspaces, cancellationToken)));
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
            : TypedResults.Ok(await MeOfAsync(user, workspaces, cancellationToken));
    }

    private static async Task<MeResponse> MeOfAsync(UserAccount user, IWorkspaceStore workspaces, CancellationToken cancellationToken)
    {
        var linked = await workspaces.UserLinkedListAsync(user.Id, cancellationToken);
        // An account without a password (a seeded one) is linked to nothing but itself.
        IReadOnlyList<MeWorkspace> all = linked.Count > 0
            ? [.. linked.Select(m => new MeWorkspace(m.WorkspaceId, m.WorkspaceName, m.Role))]
            : [new MeWorkspace(user.WorkspaceId, user.WorkspaceName, user.Role)];
        return new MeResponse(user.Id, user.Email, user.DisplayName, user.WorkspaceId, user.WorkspaceName, user.Role, all);
    }
}
