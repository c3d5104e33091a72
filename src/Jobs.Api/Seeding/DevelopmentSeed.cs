namespace Jobs.Api.Seeding;

/// <summary>
/// What Development seeds: the demo workspace (its key from <c>JOBS_DEV_API_KEY</c>, its user's password from
/// <c>JOBS_DEV_PASSWORD</c>) and a second workspace, so that isolation between workspaces can be tried by hand.
/// </summary>
public static class DevelopmentSeed
{
    public static readonly Guid WorkspaceId = Guid.Parse("00000000-0000-7000-8000-00000000de00");
    public static readonly Guid UserId = Guid.Parse("00000000-0000-7000-8000-00000000de01");
    public const string DefaultApiKey = "jobs-dev-key";
    public const string Email = "demo@jobs.local";
    public const string DefaultPassword = "demo-password";

    // The second workspace, acme: its key from JOBS_DEV_API_KEY_2, its user's password the same as demo's.
    public static readonly Guid AcmeWorkspaceId = Guid.Parse("00000000-0000-7000-8000-00000000de10");
    public static readonly Guid AcmeUserId = Guid.Parse("00000000-0000-7000-8000-00000000de11");
    public const string DefaultAcmeApiKey = "jobs-dev-key-acme";
    public const string AcmeEmail = "acme@jobs.local";
}
