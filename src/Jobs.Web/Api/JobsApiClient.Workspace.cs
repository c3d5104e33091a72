using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Contracts.Audit;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Keys;
using Jobs.Contracts.Users;
using Jobs.Contracts.Workspaces;
using Jobs.Web.Auth;

namespace Jobs.Web.Api;

/// <summary>The workspace's settings: keys, users, their access and the audit trail, and limits. Admin-only endpoints answer a member 403.</summary>
public sealed partial class JobsApiClient
{
    public async Task<IReadOnlyList<KeyResponse>> ListApiKeysAsync(CancellationToken cancellationToken) =>
        (await SendAsync<KeyListResponse>(HttpMethod.Get, "/api/keys", null, cancellationToken)).Items;

    /// <exception cref="ApiProblemException">400 with <c>errors.name</c>.</exception>
    public Task<CreatedKeyResponse> CreateApiKeyAsync(string name, CancellationToken cancellationToken) =>
        SendAsync<CreatedKeyResponse>(HttpMethod.Post, "/api/keys", Json(new { name }), cancellationToken);

    /// <exception cref="ApiProblemException">404 when the workspace has no such key.</exception>
    public Task RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/keys/{id}"), cancellationToken);

    public async Task<IReadOnlyList<UserResponse>> ListUsersAsync(CancellationToken cancellationToken) =>
        (await SendAsync<UserListResponse>(HttpMethod.Get, "/api/users", null, cancellationToken)).Items;

    /// <exception cref="ApiProblemException">400 with the failing fields, 409 <c>already_member</c>.</exception>
    public Task<InvitationResponse> InviteUserAsync(string email, string role, CancellationToken cancellationToken) =>
        SendAsync<InvitationResponse>(HttpMethod.Post, "/api/users/invitations", Json(new { email, role }), cancellationToken);

    /// <exception cref="ApiProblemException">409 <c>last_admin</c> when it would leave the workspace without an admin.</exception>
    public Task<UserResponse> ChangeUserRoleAsync(Guid id, string role, CancellationToken cancellationToken) =>
        SendAsync<UserResponse>(HttpMethod.Patch, $"/api/users/{id}", Json(new { role }), cancellationToken);

    /// <summary>Removes a member (their keys and sessions stop at once) or cancels a pending invitation.</summary>
    /// <exception cref="ApiProblemException">404 when the workspace has no such user, 409 <c>last_admin</c>.</exception>
    public Task RemoveUserAsync(Guid id, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/users/{id}"), cancellationToken);

    public async Task<IReadOnlyList<UserSessionResponse>> ListUserSessionsAsync(Guid id, CancellationToken cancellationToken) =>
        (await SendAsync<UserSessionListResponse>(HttpMethod.Get, $"/api/users/{id}/sessions", null, cancellationToken)).Items;

    /// <summary>Ends one session of the user, or all of them when <paramref name="sessionId"/> is null.</summary>
    /// <exception cref="ApiProblemException">404 when the user or the session is gone.</exception>
    public Task RevokeUserSessionsAsync(Guid id, Guid? sessionId, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Delete, sessionId is { } one ? $"/api/users/{id}/sessions/{one}" : $"/api/users/{id}/sessions"), cancellationToken);

    /// <exception cref="ApiProblemException">404 when the workspace has no such user, 409 <c>invitation_pending</c>.</exception>
    public Task<PasswordResetResponse> CreatePasswordResetAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<PasswordResetResponse>(HttpMethod.Post, $"/api/users/{id}/password-reset", null, cancellationToken);

    public Task<AuditEventListResponse> ListAuditAsync(int limit, string? cursor, CancellationToken cancellationToken) =>
        SendAsync<AuditEventListResponse>(HttpMethod.Get, $"/api/audit?limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"), null, cancellationToken);

    /// <summary>Changes the signed-in person's password; their other sessions end, this one stays.</summary>
    /// <exception cref="ApiProblemException">400 with <c>errors.currentPassword</c> or <c>errors.newPassword</c>.</exception>
    public Task ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Post, "/api/me/password") { Content = Json(new { currentPassword, newPassword }) }, cancellationToken);

    public Task<WorkspaceResponse> GetWorkspaceAsync(CancellationToken cancellationToken) =>
        SendAsync<WorkspaceResponse>(HttpMethod.Get, "/api/workspace", null, cancellationToken);

    /// <summary>The signed-in person's bulk jobs this hour: how many are left and when the next frees.</summary>
    public Task<BulkJobAllowance> GetBulkJobsAsync(CancellationToken cancellationToken) =>
        SendAsync<BulkJobAllowance>(HttpMethod.Get, "/api/workspace/bulk-jobs", null, cancellationToken);

    /// <exception cref="ApiProblemException">400 with the failing fields, 403 for a member.</exception>
    public Task<WorkspaceResponse> UpdateLimitsAsync(WorkspaceLimits limits, CancellationToken cancellationToken) =>
        SendAsync<WorkspaceResponse>(HttpMethod.Put, "/api/workspace/limits", Json(limits), cancellationToken);

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
