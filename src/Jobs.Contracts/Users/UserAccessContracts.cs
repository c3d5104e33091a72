using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Contracts.Users;

/// <summary>A live UI session of a user: its prefix recognises it; the key itself is never shown.</summary>
public sealed record UserSessionResponse(Guid Id, string? Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset ExpiresAt);

/// <summary>A user's live UI sessions.</summary>
public sealed record UserSessionListResponse(IReadOnlyList<UserSessionResponse> Items);

/// <summary>A reset link just issued; <c>resetToken</c> is in this response only (the database keeps its hash).</summary>
public sealed record PasswordResetResponse(Guid UserId, string ResetToken, string ResetUrlPath, DateTimeOffset ExpiresAt);

/// <summary>The body of <c>POST /api/me/password</c>; any other member is refused.</summary>
public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>The body that accepts a password reset link: its token and the new password; any other member is refused.</summary>
public sealed record ResetPasswordRequest(string? Token, string? Password)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}
