using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Jobs.Contracts.Sessions;

/// <summary>The body of <c>POST /api/sessions</c>; any other member is refused.</summary>
public sealed record SignInRequest(
    string? Email,
    string? Password,
    [property: Description(SessionDescriptions.DeviceTokenRequest)] string? DeviceToken = null)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>A session just started: its key (sent like any API key), when it expires, and who it belongs to.</summary>
public sealed record SessionResponse(
    string ApiKey,
    DateTimeOffset ExpiresAt,
    MeResponse Me,
    [property: Description(SessionDescriptions.DeviceTokenResponse)] string? DeviceToken = null);

/// <summary>The body of <c>POST /api/sessions/switch</c>: the workspace to switch the session to.</summary>
public sealed record SwitchRequest(Guid? WorkspaceId)
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unknown { get; init; }
}

/// <summary>Who the caller is; <c>workspaces</c> are the person's accounts a session can switch to, this one included.</summary>
public sealed record MeResponse(Guid UserId, string Email, string DisplayName, Guid WorkspaceId, string WorkspaceName, string Role, IReadOnlyList<MeWorkspace> Workspaces);

/// <summary>One of the person's workspaces, with their role in it.</summary>
public sealed record MeWorkspace(Guid WorkspaceId, string Name, string Role);

/// <summary>The device token's descriptions, which the OpenAPI document carries.</summary>
internal static class SessionDescriptions
{
    public const string DeviceTokenRequest =
        "The device token an earlier sign-in of this email answered with (`deviceToken`), if this client keeps one: a sign-in "
        + "with a valid one is held only to this device's budget of failed passwords, not to the email's, which others may "
        + "have spent. A token that is unknown, expired or another email's is ignored.";

    public const string DeviceTokenResponse =
        "After a sign-in: this device's token for the email (the one sent, renewed, or a new one). Keep it secret and send it "
        + "as `deviceToken` with this email's next sign-ins. Null in the other answers that start a session (an invitation or a reset link accepted).";
}
