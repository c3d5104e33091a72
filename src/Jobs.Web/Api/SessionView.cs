namespace Jobs.Web.Api;

/// <summary>The answer to <c>POST /api/sessions</c>: a session API key and who it belongs to.</summary>
public sealed record SessionView(string ApiKey, DateTimeOffset ExpiresAt, MeView Me);
