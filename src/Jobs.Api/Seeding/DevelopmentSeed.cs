namespace Jobs.Api.Seeding;

/// <summary>The demo workspace Development seeds (section <c>Jobs:Dev</c>); the key may come from <c>JOBS_DEV_API_KEY</c>.</summary>
public static class DevelopmentSeed
{
    public static readonly Guid WorkspaceId = Guid.Parse("00000000-0000-7000-8000-00000000de00");
    public static readonly Guid UserId = Guid.Parse("00000000-0000-7000-8000-00000000de01");
    public const string DefaultApiKey = "jobs-dev-key";
    public const string Email = "demo@jobs.local";
}
