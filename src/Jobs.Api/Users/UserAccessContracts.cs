using System.Text.Json;
using System.Text.Json.Serialization;
using Jobs.Core.Identity;

namespace Jobs.Api.Users;

/// <summary>A live UI session of a user: its prefix recognises it; the key itself is never shown.</summary>
public sealed record UserSessionResponse(Guid Id, string? Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset ExpiresAt)
{
    public static UserSessionResponse From(UserSession session) =>
        new(session.Id, session.Prefix, session.CreatedAt, session.LastUsedAt, session.ExpiresAt);
}

public sealed record UserSessionListResponse(IReadOnlyList<UserSessionResponse> Items);

/// <summary>A reset link just issued; <see cref="ResetToken"/> is in this response only (the database keeps its hash).</summary>
public sealed record PasswordResetResponse(Guid UserId, string ResetToken, string ResetUrlPath, DateTimeOffset ExpiresAt);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

public sealed record ResetPasswordRequest(string? Token, string? Password)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}
