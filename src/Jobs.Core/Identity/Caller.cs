namespace Jobs.Core.Identity;

/// <summary>
/// Who is calling: the workspace every query is scoped to (docs/design.md, "Tenancy") and the user acting in it.
/// </summary>
public sealed record Caller(Guid WorkspaceId, Guid UserId)
{
    /// <summary>The user's role in the workspace (<see cref="WorkspaceRoles"/>).</summary>
    public string Role { get; init; } = WorkspaceRoles.Member;

    /// <summary>The API key the request came with; null for callers made in-process (seeds, tests).</summary>
    public Guid? ApiKeyId { get; init; }

    /// <summary><see cref="ApiKeyKinds.Key"/> for a named API key, <see cref="ApiKeyKinds.Session"/> for a UI sign-in.</summary>
    public string? ApiKeyKind { get; init; }

    /// <summary>When the API key stops working (a session's end); null for a key that does not expire.</summary>
    public DateTimeOffset? ApiKeyExpiresAt { get; init; }

    public bool IsAdmin => Role == WorkspaceRoles.Admin;
}

public static class WorkspaceRoles
{
    public const string Member = "member";
    public const string Admin = "admin";

    public static bool IsValid(string? role) => role is Member or Admin;
}

public static class ApiKeyKinds
{
    public const string Key = "key";
    public const string Session = "session";
}
