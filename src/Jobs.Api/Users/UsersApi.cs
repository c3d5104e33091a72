using System.Net.Mail;
using System.Security.Cryptography;
using Jobs.Api.Auth;
using Jobs.Api.Problems;
using Jobs.Api.Security;
using Jobs.Api.Sessions;
using Jobs.Contracts.Sessions;
using Jobs.Contracts.Users;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Users;

/// <summary>
/// The workspace's users, for its admins: list them, invite one (the user exists at once with its role; the token,
/// shown once, lets them choose a name and password) and change a role, never leaving the workspace without an admin.
/// Accepting an invitation is anonymous and signs the new user in, as <c>POST /api/sessions</c> does.
/// </summary>
public static class UsersApi
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);
    public const string AcceptInvitationPath = "/accept-invite";
    public const int MaxDisplayNameLength = 100;
    public const int MaxEmailLength = 320;

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/users")
            .RequireAuthorization(CallerClaims.AdminPolicy)
            .WithTags("Users");
        admin.MapUserAccessApi();
        admin.MapGet("", ListUsers)
            .WithName("ListUsers")
            .WithSummary("The workspace's users with their roles and pending invitations (admin)");
        admin.MapPost("/invitations", InviteUser)
            .WithNoStore()
            .WithName("InviteUser")
            .WithSummary("Invite a user by email with a role (again for a pending invitee: a new link, the old one retired); the invitation token is in this response only (admin)");
        admin.MapPatch("/{id}", SetUserRole)
            .WithName("SetUserRole")
            .WithSummary("Change a user's role; the last admin cannot be demoted (admin)");

        app.MapPost("/api/invitations/accept", AcceptInvitation)
            .AllowAnonymous()
            .WithNoStore()
            .RequireRateLimiting(SessionsApi.SignInRateLimitPolicy)
            .WithTags("Users")
            .WithName("AcceptInvitation")
            .WithSummary("Accept an invitation: choose a display name and password, and get a session as sign-in does");
        return app;
    }

    public static async Task<Ok<UserListResponse>> ListUsers(HttpContext httpContext, IWorkspaceStore workspaces, CancellationToken cancellationToken)
    {
        var users = await workspaces.UserListAsync(httpContext.User.ToCaller().WorkspaceId, cancellationToken);
        return TypedResults.Ok(new UserListResponse(users.Select(UserResponse.From).ToList()));
    }

    public static async Task<Results<Created<InvitationResponse>, ValidationProblem, ProblemHttpResult>> InviteUser(
        InviteUserRequest? request,
        HttpContext httpContext,
        IWorkspaceStore workspaces,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var email = request?.Email?.Trim();
        var errors = new Dictionary<string, string[]>();
        UnknownFields.Check(request?.Unknown, "", errors);
        if (string.IsNullOrEmpty(email))
        {
            errors["email"] = ["is required."];
        }
        else if (email.Length > MaxEmailLength || !MailAddress.TryCreate(email, out var address) || address.Address != email)
        {
            errors["email"] = ["is not an email address."];
        }

        if (!WorkspaceRoles.IsValid(request?.Role))
        {
            errors["role"] = [$"must be \"{WorkspaceRoles.Member}\" or \"{WorkspaceRoles.Admin}\"."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var caller = httpContext.User.ToCaller();
        var token = "inv_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var expiresAt = time.GetUtcNow() + InvitationLifetime;
        var user = await workspaces.InvitationCreateAsync(
            new InvitationCreateParams(caller.WorkspaceId, caller.UserId, email!, request!.Role!, ApiKeyHasher.Hash(token), expiresAt, caller.ApiKeyId), cancellationToken);
        if (user is null)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "already_member", "Already a member",
                $"{email} is a member of this workspace already.");
        }

        return TypedResults.Created("/api/users",
            new InvitationResponse(user.Id, user.Email, user.Role, token, $"{AcceptInvitationPath}?token={token}", expiresAt));
    }

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> SetUserRole(
        string id,
        SetRoleRequest? request,
        HttpContext httpContext,
        IWorkspaceStore workspaces,
        ApiKeyCache keys,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        UnknownFields.Check(request?.Unknown, "", errors);
        if (!WorkspaceRoles.IsValid(request?.Role))
        {
            errors["role"] = [$"must be \"{WorkspaceRoles.Member}\" or \"{WorkspaceRoles.Admin}\"."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var caller = httpContext.User.ToCaller();
        var result = Guid.TryParse(id, out var userId)
            ? await workspaces.UserRoleSetAsync(caller, userId, request!.Role!, cancellationToken)
            : new UserRoleSetResult(UserRoleSetOutcome.NotFound, null, []);
        switch (result.Outcome)
        {
            case UserRoleSetOutcome.NotFound:
                return UserNotFound(id);
            case UserRoleSetOutcome.LastAdmin:
                return ApiProblems.Problem(StatusCodes.Status409Conflict, "last_admin", "The last admin cannot be demoted",
                    "Make another user an admin first: a workspace always keeps an admin.");
        }

        // The role travels with each of the user's cached key lookups: drop them so the new role applies at once.
        foreach (var hash in result.ActiveKeyHashes)
        {
            await keys.EvictAsync(hash);
        }

        return TypedResults.Ok(UserResponse.From(result.User!));
    }

    /// <summary>Another workspace's user answers exactly like one that does not exist.</summary>
    public static ProblemHttpResult UserNotFound(string id) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "user_not_found", "User not found",
            $"There is no user '{(id.Length <= 64 ? id : id[..64] + "…")}' in your workspace.");

    public static async Task<Results<Created<SessionResponse>, ValidationProblem, ProblemHttpResult>> AcceptInvitation(
        AcceptInvitationRequest? request,
        IWorkspaceStore workspaces,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var displayName = request?.DisplayName?.Trim();
        var errors = new Dictionary<string, string[]>();
        UnknownFields.Check(request?.Unknown, "", errors);
        if (string.IsNullOrEmpty(request?.Token))
        {
            errors["token"] = ["is required."];
        }

        if (string.IsNullOrEmpty(displayName))
        {
            errors["displayName"] = ["is required."];
        }
        else if (displayName.Length > MaxDisplayNameLength)
        {
            errors["displayName"] = [$"must be at most {MaxDisplayNameLength} characters."];
        }

        if (PasswordRules.Check(request?.Password, email: null) is { } weak)
        {
            errors["password"] = [weak];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        // Hashing a password is slow on purpose: check the token first, so that garbage tokens cost an index lookup.
        var tokenHash = ApiKeyHasher.Hash(request!.Token!);
        UserAccount? user = null;
        if (request.Token!.Length <= 200 && await workspaces.InvitationEmailGetAsync(tokenHash, cancellationToken) is { } email)
        {
            if (PasswordRules.Check(request.Password, email) is { } personal)
            {
                return ApiProblems.Validation("password", personal);
            }

            // The person's password elsewhere links this account to theirs (they switch between them).
            var passwordHash = AccountPasswords.HashFor(await workspaces.UserListByEmailAsync(email, cancellationToken), request.Password!);
            user = await workspaces.InvitationAcceptAsync(tokenHash, displayName!, passwordHash, cancellationToken);
        }

        if (user is null)
        {
            return ApiProblems.Problem(StatusCodes.Status400BadRequest, "invitation_invalid", "Invitation not valid",
                "This invitation does not exist, has expired or has been used already. Ask an admin for a new one.");
        }

        return await SessionsApi.StartSessionAsync(user, workspaces, time, cancellationToken);
    }
}
