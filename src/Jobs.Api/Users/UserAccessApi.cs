using System.Security.Cryptography;
using Jobs.Api.Auth;
using Jobs.Api.Problems;
using Jobs.Contracts.Users;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Users;

/// <summary>
/// Taking a user's access away, for the workspace's admins: remove them (or cancel their invitation), end their
/// sessions, or issue a one-time link that sets a new password. Whatever is revoked stops on every API instance at
/// once and its live connections close (<see cref="ApiKeyCache.EvictAsync"/>). The last admin is never removed.
/// </summary>
public static class UserAccessApi
{
    public static readonly TimeSpan ResetLinkLifetime = TimeSpan.FromHours(24);
    public const string ResetPasswordPath = "/reset-password";

    /// <summary>Maps under the admin group of <c>/api/users</c>.</summary>
    public static RouteGroupBuilder MapUserAccessApi(this RouteGroupBuilder admin)
    {
        admin.MapDelete("/{id}", RemoveUser)
            .WithName("RemoveUser")
            .WithSummary("Remove a user: their API keys and sessions stop at once and their live connections close; for a pending invitee, cancel the invitation. The last admin cannot be removed (admin)");
        admin.MapGet("/{id}/sessions", ListUserSessions)
            .WithName("ListUserSessions")
            .WithSummary("A user's live UI sessions, newest first (admin)");
        admin.MapDelete("/{id}/sessions", RevokeUserSessions)
            .WithName("RevokeUserSessions")
            .WithSummary("End all of a user's UI sessions; their API keys stay (admin)");
        admin.MapDelete("/{id}/sessions/{sessionId}", RevokeUserSession)
            .WithName("RevokeUserSession")
            .WithSummary("End one UI session of a user (admin)");
        admin.MapPost("/{id}/password-reset", CreatePasswordReset)
            .WithName("CreatePasswordReset")
            .WithSummary("Issue a one-time link that sets a new password for this workspace's account of the user (earlier links stop working); the token is in this response only (admin)");
        return admin;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RemoveUser(
        string id, HttpContext httpContext, IWorkspaceStore workspaces, ApiKeyCache keys, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return UsersApi.UserNotFound(id);
        }

        var result = await workspaces.UserRemoveAsync(httpContext.User.ToCaller(), userId, cancellationToken);
        switch (result.Outcome)
        {
            case UserRemoveOutcome.NotFound:
                return UsersApi.UserNotFound(id);
            case UserRemoveOutcome.LastAdmin:
                return ApiProblems.Problem(StatusCodes.Status409Conflict, "last_admin", "The last admin cannot be removed",
                    "Make another user an admin first: a workspace always keeps an admin.");
        }

        await EvictAsync(keys, result.RevokedKeyHashes);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<UserSessionListResponse>, ProblemHttpResult>> ListUserSessions(
        string id, HttpContext httpContext, IWorkspaceStore workspaces, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId)
            || await workspaces.UserSessionListAsync(httpContext.User.ToCaller().WorkspaceId, userId, cancellationToken) is not { } sessions)
        {
            return UsersApi.UserNotFound(id);
        }

        return TypedResults.Ok(new UserSessionListResponse([.. sessions.Select(UserSessionResponse.From)]));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeUserSessions(
        string id, HttpContext httpContext, IWorkspaceStore workspaces, ApiKeyCache keys, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId)
            || await workspaces.UserSessionRevokeAsync(httpContext.User.ToCaller(), userId, null, cancellationToken) is not { } hashes)
        {
            return UsersApi.UserNotFound(id);
        }

        await EvictAsync(keys, hashes);
        return TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeUserSession(
        string id, string sessionId, HttpContext httpContext, IWorkspaceStore workspaces, ApiKeyCache keys, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId)
            || !Guid.TryParse(sessionId, out var session)
            || await workspaces.UserSessionRevokeAsync(httpContext.User.ToCaller(), userId, session, cancellationToken) is not { Count: > 0 } hashes)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "session_not_found", "Session not found",
                "This user has no such live session in your workspace.");
        }

        await EvictAsync(keys, hashes);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Created<PasswordResetResponse>, ProblemHttpResult>> CreatePasswordReset(
        string id, HttpContext httpContext, IWorkspaceStore workspaces, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var userId))
        {
            return UsersApi.UserNotFound(id);
        }

        var token = "pwr_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var expiresAt = time.GetUtcNow() + ResetLinkLifetime;
        var outcome = await workspaces.PasswordResetCreateAsync(
            new PasswordResetCreateParams(httpContext.User.ToCaller(), userId, ApiKeyHasher.Hash(token), expiresAt), cancellationToken);
        return outcome switch
        {
            PasswordResetCreateOutcome.Created => TypedResults.Created($"/api/users/{userId}",
                new PasswordResetResponse(userId, token, $"{ResetPasswordPath}?token={token}", expiresAt)),
            PasswordResetCreateOutcome.InvitationPending => ApiProblems.Problem(StatusCodes.Status409Conflict, "invitation_pending",
                "The user has not joined yet", "They have no password to reset: make them a new invitation link instead."),
            _ => UsersApi.UserNotFound(id),
        };
    }

    private static async Task EvictAsync(ApiKeyCache keys, IEnumerable<byte[]> hashes)
    {
        foreach (var hash in hashes)
        {
            await keys.EvictAsync(hash);
        }
    }
}
