namespace Jobs.Web.Api;

/// <summary>
/// The answer to <c>POST /api/users/invitations</c>. <see cref="InvitationUrlPath"/> is a path of this web app
/// (<c>/accept-invite?token=…</c>); the admin passes the full link on, since the token is shown only here.
/// </summary>
public sealed record InvitationView(Guid UserId, string Email, string Role, string InvitationToken, string InvitationUrlPath, DateTimeOffset ExpiresAt);
