using Jobs.Api.Auth;
using Jobs.Api.Problems;
using Jobs.Api.Security;
using Jobs.Api.Sessions;
using Jobs.Contracts.Sessions;
using Jobs.Contracts.Users;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Jobs.Api.Users;

/// <summary>
/// A person's own password: changed when signed in (the current one is required, and their other sessions end), or
/// set anew with a one-time link an admin issued (<see cref="UserAccessApi.CreatePasswordReset"/>), which signs them
/// in as accepting an invitation does.
/// </summary>
public static class PasswordsApi
{
    private static readonly PasswordHasher<UserAccount> Hasher = new();

    public static IEndpointRouteBuilder MapPasswordsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/me/password", ChangePassword)
            .RequireAuthorization()
            .WithTags("Sessions")
            .AddOpenApiOperationTransformer(SessionsApi.DescribeThrottle)
            .WithName("ChangePassword")
            .WithSummary("Change your password: the current one is required; your other sessions end, this one stays, and it changes in every workspace it opens");
        app.MapPost("/api/password-resets/accept", AcceptPasswordReset)
            .AllowAnonymous()
            .RequireRateLimiting(SessionsApi.SignInRateLimitPolicy)
            .WithTags("Sessions")
            .WithName("AcceptPasswordReset")
            .WithSummary("Use a password reset link: set a new password for that workspace's account, end its sessions, and get a session as sign-in does");
        return app;
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ChangePassword(
        ChangePasswordRequest? request,
        HttpContext httpContext,
        IWorkspaceStore workspaces,
        ApiKeyCache keys,
        SignInThrottle throttle,
        ClientAddress clientAddress,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        UnknownFields.Check(request?.Unknown, "", errors);
        if (string.IsNullOrEmpty(request?.CurrentPassword) || request.CurrentPassword.Length > PasswordRules.MaxLength)
        {
            errors["currentPassword"] = ["is required."];
        }

        if (PasswordRules.Check(request?.NewPassword, email: null) is { } weak)
        {
            errors["newPassword"] = [weak];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var caller = httpContext.User.ToCaller();
        if (caller.ApiKeyKind != ApiKeyKinds.Session || ApiKeyAuthenticationHandler.KeyOf(httpContext.Request) is not { } sessionKey)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "session_required", "Only a signed-in session changes a password",
                "An API key acts for a program, not for the person who knows the password: sign in to change it.");
        }

        if (await workspaces.UserGetAsync(caller.UserId, cancellationToken) is not { PasswordHash: { } currentHash } user)
        {
            return ApiProblems.Problem(StatusCodes.Status401Unauthorized, "unauthenticated", "Unknown user");
        }

        // A wrong current password is a failed password check like a failed sign-in: a stolen session must not be an
        // oracle for guessing the password (which opens the person's other workspaces, and outlives the session).
        var attempt = await throttle.BeginSignedInAsync(user.Email, clientAddress.Of(httpContext));
        if (!attempt.Allowed)
        {
            return SessionsApi.Throttled(httpContext, attempt.RetryAfter);
        }

        if (Hasher.VerifyHashedPassword(user, currentHash, request!.CurrentPassword!) == PasswordVerificationResult.Failed)
        {
            return ApiProblems.Validation("currentPassword", "is not your current password.");
        }

        await attempt.SucceededAsync();

        if (PasswordRules.Check(request.NewPassword, user.Email) is { } personal)
        {
            return ApiProblems.Validation("newPassword", personal);
        }

        if (request.NewPassword == request.CurrentPassword)
        {
            return ApiProblems.Validation("newPassword", "must differ from your current password.");
        }

        // The new password may be the one the person's other accounts use: then they share its hash and link up.
        var others = (await workspaces.UserListByEmailAsync(user.Email, cancellationToken)).Where(a => a.PasswordHash != currentHash).ToList();
        var newHash = AccountPasswords.HashFor(others, request.NewPassword!);
        var ended = await workspaces.UserPasswordChangeAsync(
            new PasswordChangeParams(caller, currentHash, newHash, ApiKeyHasher.Hash(sessionKey)), cancellationToken);
        if (ended is null)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "password_changed", "Your password changed meanwhile",
                "Your password was changed elsewhere while you typed: sign in again with the new one.");
        }

        foreach (var hash in ended)
        {
            await keys.EvictAsync(hash);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<SessionResponse>, ValidationProblem, ProblemHttpResult>> AcceptPasswordReset(
        ResetPasswordRequest? request,
        IWorkspaceStore workspaces,
        ApiKeyCache keys,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        UnknownFields.Check(request?.Unknown, "", errors);
        if (string.IsNullOrEmpty(request?.Token))
        {
            errors["token"] = ["is required."];
        }

        if (PasswordRules.Check(request?.Password, email: null) is { } weak)
        {
            errors["password"] = [weak];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        // As for invitations: the token is checked before any password is hashed, so garbage costs an index lookup.
        var tokenHash = ApiKeyHasher.Hash(request!.Token!);
        PasswordResetUse? used = null;
        if (request.Token!.Length <= 200 && await workspaces.PasswordResetEmailGetAsync(tokenHash, cancellationToken) is { } email)
        {
            if (PasswordRules.Check(request.Password, email) is { } personal)
            {
                return ApiProblems.Validation("password", personal);
            }

            var passwordHash = AccountPasswords.HashFor(await workspaces.UserListByEmailAsync(email, cancellationToken), request.Password!);
            used = await workspaces.PasswordResetUseAsync(tokenHash, passwordHash, cancellationToken);
        }

        if (used is null)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "reset_invalid", "Reset link not valid",
                "This password reset link does not exist, has expired or has been used already. Ask an admin for a new one.");
        }

        foreach (var hash in used.RevokedKeyHashes)
        {
            await keys.EvictAsync(hash);
        }

        return await SessionsApi.StartSessionAsync(used.User, workspaces, time, cancellationToken);
    }
}
