namespace Jobs.Web.Api;

/// <summary>
/// The answer to <c>POST /api/sessions</c>: a session API key and who it belongs to, and after a sign-in the browser's
/// device token for the email (kept in <see cref="Auth.DeviceCookie"/>).
/// </summary>
public sealed record SessionView(string ApiKey, DateTimeOffset ExpiresAt, MeView Me, string? DeviceToken = null);
