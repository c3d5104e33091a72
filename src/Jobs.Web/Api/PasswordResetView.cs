namespace Jobs.Web.Api;

/// <summary>
/// The answer to <c>POST /api/users/{id}/password-reset</c>. <see cref="ResetUrlPath"/> is a path of this web app
/// (<c>/reset-password?token=…</c>); the admin passes the full link on, since the token is shown only here.
/// </summary>
public sealed record PasswordResetView(Guid UserId, string ResetToken, string ResetUrlPath, DateTimeOffset ExpiresAt);
