namespace Jobs.Core.Identity;

/// <summary>The <c>action</c> of an <c>audit_events</c> row: stable names that clients may branch on.</summary>
public static class AuditActions
{
    public const string UserInvited = "user.invited";
    public const string InvitationAccepted = "invitation.accepted";
    public const string InvitationCancelled = "invitation.cancelled";
    public const string RoleChanged = "user.role_changed";
    public const string UserRemoved = "user.removed";
    public const string SessionsRevoked = "user.sessions_revoked";
    public const string PasswordChanged = "password.changed";
    public const string PasswordResetIssued = "password.reset_issued";
    public const string PasswordReset = "password.reset";
    public const string ApiKeyCreated = "api_key.created";
    public const string ApiKeyRevoked = "api_key.revoked";
    public const string WebhookCreated = "webhook.created";
    public const string WebhookUpdated = "webhook.updated";
    public const string WebhookDeleted = "webhook.deleted";
    public const string WebhookSecretRotated = "webhook.secret_rotated";

    /// <summary>A queue or job type paused or resumed in the workspace (docs/design.md, "Pausing"); its name in the details.</summary>
    public const string QueuePaused = "queue.paused";
    public const string QueueResumed = "queue.resumed";
    public const string JobTypePaused = "job_type.paused";
    public const string JobTypeResumed = "job_type.resumed";

    /// <summary>The platform disabled an endpoint (410 Gone, persistent failure); no actor, the reason in the details.</summary>
    public const string WebhookDisabled = "webhook.disabled";
}
