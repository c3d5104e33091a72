using System.Security.Claims;
using Jobs.Web.Api;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Jobs.Web.Auth;

/// <summary>
/// What the session cookie holds: who the user is and the API key the API gave at sign-in. The cookie is encrypted
/// and signed by data protection, so the key is never readable in the browser.
/// </summary>
public static class SessionClaims
{
    public const string ApiKey = "jobs:api_key";
    public const string WorkspaceId = "jobs:workspace_id";
    public const string WorkspaceName = "jobs:workspace_name";

    /// <summary>The role value of an admin (<c>GET /api/me</c>'s <c>role</c>); pages use it with <c>[Authorize(Roles = …)]</c>.</summary>
    public const string AdminRole = "admin";

    public static ClaimsPrincipal ToPrincipal(SessionView session) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, session.Me.UserId.ToString()),
            new Claim(ClaimTypes.Name, session.Me.DisplayName),
            new Claim(ClaimTypes.Email, session.Me.Email),
            new Claim(WorkspaceId, session.Me.WorkspaceId.ToString()),
            new Claim(WorkspaceName, session.Me.WorkspaceName),
            new Claim(ApiKey, session.ApiKey),
            // The role as of sign-in decides what the UI offers; the API checks the key's own role on every call, so
            // a user demoted meanwhile sees "admins only" instead of being able to act.
            new Claim(ClaimTypes.Role, session.Me.Role),
        ],
        CookieAuthenticationDefaults.AuthenticationScheme));

    public static string? ApiKeyOf(ClaimsPrincipal user) => user.FindFirst(ApiKey)?.Value;

    public static Guid? WorkspaceIdOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(WorkspaceId)?.Value, out var id) ? id : null;

    public static string? WorkspaceNameOf(ClaimsPrincipal user) => user.FindFirst(WorkspaceName)?.Value;

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(AdminRole);
}
