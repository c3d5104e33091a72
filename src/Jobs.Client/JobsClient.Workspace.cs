using Jobs.Contracts.Audit;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Keys;
using Jobs.Contracts.Stats;
using Jobs.Contracts.Users;
using Jobs.Contracts.Workspaces;

namespace Jobs.Client;

/// <summary>
/// The workspace: its limits and usage, statistics, API keys, users and their sessions, the audit trail, and the
/// caller's password. The admin-only calls answer a member 403 (docs/api.md, "Workspace").
/// </summary>
public sealed partial class JobsClient
{
    public Task<WorkspaceResponse> GetWorkspaceAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<WorkspaceResponse>("api/workspace", cancellationToken);

    /// <summary>The caller's bulk jobs this hour: how many are left and when the next frees.</summary>
    public Task<BulkJobAllowance> GetBulkJobsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<BulkJobAllowance>("api/workspace/bulk-jobs", cancellationToken);

    /// <summary>Sets every limit at once (admin).</summary>
    /// <exception cref="JobsValidationException">A limit outside its ceiling.</exception>
    public Task<WorkspaceResponse> SetLimitsAsync(WorkspaceLimits limits, CancellationToken cancellationToken = default) =>
        SendAsync<WorkspaceResponse>(HttpMethod.Put, "api/workspace/limits", limits, cancellationToken);

    /// <summary>Queue depths, workers, throughput and durations of the workspace's jobs.</summary>
    public Task<StatsResponse> GetStatsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync<StatsResponse>("api/stats", cancellationToken);

    public async Task<IReadOnlyList<KeyResponse>> ListApiKeysAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync<KeyListResponse>("api/keys", cancellationToken)).Items;

    /// <summary>A new key; its secret is in the answer this once.</summary>
    /// <exception cref="JobsValidationException"><c>errors.name</c>.</exception>
    public Task<CreatedKeyResponse> CreateApiKeyAsync(string name, CancellationToken cancellationToken = default) =>
        SendAsync<CreatedKeyResponse>(HttpMethod.Post, "api/keys", new CreateKeyRequest(name), cancellationToken);

    /// <exception cref="JobsNotFoundException">No such key in the workspace.</exception>
    public Task RevokeApiKeyAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/keys/{id}", null, cancellationToken);

    public async Task<IReadOnlyList<UserResponse>> ListUsersAsync(CancellationToken cancellationToken = default) =>
        (await ReadAsync<UserListResponse>("api/users", cancellationToken)).Items;

    /// <exception cref="JobsValidationException">The failing fields.</exception>
    /// <exception cref="JobsConflictException"><c>already_member</c>.</exception>
    public Task<InvitationResponse> InviteUserAsync(string email, string role, CancellationToken cancellationToken = default) =>
        SendAsync<InvitationResponse>(HttpMethod.Post, "api/users/invitations", new InviteUserRequest(email, role), cancellationToken);

    /// <exception cref="JobsConflictException"><c>last_admin</c>: it would leave the workspace without an admin.</exception>
    public Task<UserResponse> ChangeUserRoleAsync(Guid id, string role, CancellationToken cancellationToken = default) =>
        SendAsync<UserResponse>(HttpMethod.Patch, $"api/users/{id}", new SetRoleRequest(role), cancellationToken);

    /// <summary>Removes a member (their keys and sessions stop at once) or cancels a pending invitation.</summary>
    /// <exception cref="JobsNotFoundException">No such user in the workspace.</exception>
    /// <exception cref="JobsConflictException"><c>last_admin</c>.</exception>
    public Task RemoveUserAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/users/{id}", null, cancellationToken);

    public async Task<IReadOnlyList<UserSessionResponse>> ListUserSessionsAsync(Guid id, CancellationToken cancellationToken = default) =>
        (await ReadAsync<UserSessionListResponse>($"api/users/{id}/sessions", cancellationToken)).Items;

    /// <summary>Ends one session of the user, or all of them when <paramref name="sessionId"/> is null.</summary>
    /// <exception cref="JobsNotFoundException">The user or the session is gone.</exception>
    public Task RevokeUserSessionsAsync(Guid id, Guid? sessionId = null, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, sessionId is { } one ? $"api/users/{id}/sessions/{one}" : $"api/users/{id}/sessions", null, cancellationToken);

    /// <summary>A one-time link with which the user sets a new password.</summary>
    /// <exception cref="JobsConflictException"><c>invitation_pending</c>.</exception>
    public Task<PasswordResetResponse> CreatePasswordResetAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync<PasswordResetResponse>(HttpMethod.Post, $"api/users/{id}/password-reset", null, cancellationToken);

    /// <summary>One page of the workspace's audit trail, newest first (admin).</summary>
    public Task<AuditEventListResponse> ListAuditAsync(int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        ReadAsync<AuditEventListResponse>(WithQuery("api/audit", ("limit", limit), ("cursor", cursor)), cancellationToken);

    /// <summary>Changes the caller's password; their other sessions end, the one calling stays.</summary>
    /// <exception cref="JobsValidationException"><c>errors.currentPassword</c> or <c>errors.newPassword</c>.</exception>
    public Task ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, "api/me/password", new ChangePasswordRequest(currentPassword, newPassword), cancellationToken);
}
