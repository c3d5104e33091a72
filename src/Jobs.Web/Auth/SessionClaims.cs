using System.Security.Claims;
using System.Text.Json;
using Jobs.Contracts.Sessions;
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
    public const string Workspaces = "jobs:workspaces";
    private const string SessionEnded = "jobs:session_ended";

    /// <summary>The role value of an admin (<c>GET /api/me</c>'s <c>role</c>); pages use it with <c>[Authorize(Roles = …)]</c>.</summary>
    public const string AdminRole = "admin";

    public static ClaimsPrincipal ToPrincipal(SessionResponse session) => ToPrincipal(session.ApiKey, session.Me);

    public static ClaimsPrincipal ToPrincipal(string apiKey, MeResponse me) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, me.UserId.ToString()),
            new Claim(ClaimTypes.Name, me.DisplayName),
            new Claim(ClaimTypes.Email, me.Email),
            new Claim(WorkspaceId, me.WorkspaceId.ToString()),
            new Claim(WorkspaceName, me.WorkspaceName),
            new Claim(ApiKey, apiKey),
            // The role as of sign-in, refreshed by SessionValidator, decides what the UI offers; the API checks the
            // key's own role on every call, so a user demoted meanwhile sees "admins only" instead of being able to act.
            new Claim(ClaimTypes.Role, me.Role),
            new Claim(Workspaces, JsonSerializer.Serialize(WorkspacesOf(me), JsonSerializerOptions.Web)),
        ],
        CookieAuthenticationDefaults.AuthenticationScheme));

    /// <summary>Whether the claims still say what <paramref name="me"/> says (role, names, workspace).</summary>
    public static bool Matches(ClaimsPrincipal user, MeResponse me) =>
        user.FindFirst(ClaimTypes.Role)?.Value == me.Role
        && user.FindFirst(ClaimTypes.Name)?.Value == me.DisplayName
        && user.FindFirst(WorkspaceName)?.Value == me.WorkspaceName
        && WorkspaceIdOf(user) == me.WorkspaceId
        && user.FindFirst(Workspaces)?.Value == JsonSerializer.Serialize(WorkspacesOf(me), JsonSerializerOptions.Web);

    /// <summary>
    /// The signed-out user of a page whose session the API stopped accepting while it was open: unauthenticated, with
    /// a marker so that the sign-in page it is sent to says the session has ended.
    /// </summary>
    public static ClaimsPrincipal Ended() => new(new ClaimsIdentity([new Claim(SessionEnded, "true")]));

    public static bool HasEnded(ClaimsPrincipal user) => user.Identity?.IsAuthenticated != true && user.HasClaim(SessionEnded, "true");

    public static string? ApiKeyOf(ClaimsPrincipal user) => user.FindFirst(ApiKey)?.Value;

    public static Guid? WorkspaceIdOf(ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirst(WorkspaceId)?.Value, out var id) ? id : null;

    public static string? WorkspaceNameOf(ClaimsPrincipal user) => user.FindFirst(WorkspaceName)?.Value;

    /// <summary>The person's workspaces this session can switch between, the current one included.</summary>
    public static IReadOnlyList<MeWorkspace> WorkspacesOf(ClaimsPrincipal user) =>
        user.FindFirst(Workspaces)?.Value is { } json
            ? JsonSerializer.Deserialize<List<MeWorkspace>>(json, JsonSerializerOptions.Web) ?? []
            : [];

    private static IReadOnlyList<MeWorkspace> WorkspacesOf(MeResponse me) =>
        me.Workspaces is { Count: > 0 } all ? all : [new MeWorkspace(me.WorkspaceId, me.WorkspaceName, me.Role)];

    public static bool IsAdmin(ClaimsPrincipal user) => user.IsInRole(AdminRole);
}
