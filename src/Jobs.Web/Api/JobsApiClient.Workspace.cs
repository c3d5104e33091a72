using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Web.Auth;

namespace Jobs.Web.Api;

/// <summary>The workspace's settings: keys, users, their access and the audit trail, and limits. Admin-only endpoints answer a member 403.</summary>
public sealed partial class JobsApiClient
{
    public async Task<IReadOnlyList<ApiKeyView>> ListApiKeysAsync(CancellationToken cancellationToken) =>
        (await SendAsync<ItemList<ApiKeyView>>(HttpMethod.Get, "/api/keys", null, cancellationToken)).Items;

    /// <exception cref="ApiProblemException">400 with <c>errors.name</c>.</exception>
    public Task<CreatedApiKey> CreateApiKeyAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<CreatedApiKey>(HttpMethod.Post, "/api/keys", Json(new { name }), cancellationToken);

    /// <exception cref="ApiProblemException">404 when the workspace has no such key.</exception>
    public Task RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/keys/{id}"), cancellationToken);

    public async Task<IReadOnlyList<UserView>> ListUsersAsync(CancellationToken cancellationToken) =>
        (await SendAsync<ItemList<UserView>>(HttpMethod.Get, "/api/users", null, cancellationToken)).Items;

    /// <exception cref="ApiProblemException">400 with the failing fields, 409 <c>already_member</c>.</exception>
    public Task<InvitationView> InviteUserAsync(string email, string role, CancellationToken cancellationToken) =>
        SendAsync<InvitationView>(HttpMethod.Post, "/api/users/invitations", Json(new { email, role }), cancellationToken);

    /// <exception cref="ApiProblemException">409 <c>last_admin</c> when it would leave the workspace without an admin.</exception>
    public Task<UserView> ChangeUserRoleAsync(Guid id, string role, CancellationToken cancellationToken) =>
        SendAsync<UserView>(HttpMethod.Patch, $"/api/users/{id}", Json(new { role }), cancellationToken);

    /// <summary>Removes a member (their keys and sessions stop at once) or cancels a pending invitation.</summary>
    /// <exception cref="ApiProblemException">404 when the workspace has no such user, 409 <c>last_admin</c>.</exception>
    public Task RemoveUserAsync(Guid id, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/users/{id}"), cancellationToken);

    public async Task<IReadOnlyList<UserSessionView>> ListUserSessionsAsync(Guid id, CancellationToken cancellationToken) =>
        (await SendAsync<ItemList<UserSessionView>>(HttpMethod.Get, $"/api/users/{id}/sessions", null, cancellationToken)).Items;

    /// <summary>Ends one session of the user, or all of them when <paramref name="sessionId"/> is null.</summary>
    /// <exception cref="ApiProblemException">404 when the user or the session is gone.</exception>
    public Task RevokeUserSessionsAsync(Guid id, Guid? sessionId, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Delete, sessionId is { } one ? $"/api/users/{id}/sessions/{one}" : $"/api/users/{id}/sessions"), cancellationToken);

    /// <exception cref="ApiProblemException">404 when the workspace has no such user, 409 <c>invitation_pending</c>.</exception>
    public Task<PasswordResetView> CreatePasswordResetAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<PasswordResetView>(HttpMethod.Post, $"/api/users/{id}/password-reset", null, cancellationToken);

    public Task<AuditPage> ListAuditAsync(int limit, string? cursor, CancellationToken cancellationToken) =>
        SendAsync<AuditPage>(HttpMethod.Get, $"/api/audit?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), null, cancellationToken);

    /// <summary>Changes the signed-in person's password; their other sessions end, this one stays.</summary>
    /// <exception cref="ApiProblemException">400 with <c>errors.currentPassword</c> or <c>errors.newPassword</c>.</exception>
    public Task ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Post, "/api/me/password") { Content = Json(new { currentPassword, newPassword }) }, cancellationToken);

    public Task<WorkspaceView> GetWorkspaceAsync(CancellationToken cancellationToken) =>
        SendAsync<WorkspaceView>(HttpMethod.Get, "/api/workspace", null, cancellationToken);

    /// <summary>The signed-in person's bulk jobs this hour: how many are left and when the next frees.</summary>
    public Task<BulkJobsView> GetBulkJobsAsync(CancellationToken cancellationToken) =>
        SendAsync<BulkJobsView>(HttpMethod.Get, "/api/workspace/bulk-jobs", null, cancellationToken);

    /// <exception cref="ApiProblemException">400 with the failing fields, 403 for a member.</exception>
    public Task<WorkspaceView> UpdateLimitsAsync(WorkspaceLimits limits, CancellationToken cancellationToken) =>
        SendAsync<WorkspaceView>(HttpMethod.Put, "/api/workspace/limits", Json(limits), cancellationToken);

    private static JsonContent Json<T>(T value) => JsonContent.Create(value, options: JsonSerializerOptions.Web);

    // For 204 answers, which have no body to read.
    private async Task SendWithoutAnswerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await SendCheckedAsync(request, cancellationToken);
        }
    }
}
