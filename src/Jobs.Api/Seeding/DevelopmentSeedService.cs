using Jobs.Api.Contacts;
using Jobs.Api.Workspaces;
using Jobs.Core.Identity;
using Jobs.Core.Workloads.Contacts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Seeding;

/// <summary>
/// In Development only: makes sure the demo workspaces, their users (with passwords) and API keys exist, that the demo
/// workspace has its contacts and sequences (<see cref="DemoContacts"/>), and prints
/// the credentials so that a developer can call the API and sign in at once. Runs after migrations (hosted services
/// start in registration order).
/// </summary>
public sealed class DevelopmentSeedService(
    IWorkspaceStore workspaces,
    IContactStore contacts,
    IConfiguration configuration,
    IOptions<LimitCeilingsOptions> ceilings,
    ILogger<DevelopmentSeedService> logger) : IHostedService
{
    /// <summary>
    /// When set, the demo workspace's limit of jobs processing at once
    /// (5 by default: docs/design.md, "Admission, limits and fairness"). The benchmarks raise it
    /// (<c>Jobs__Dev__MaxConcurrentJobs=250</c>) to have 200 jobs running at once; unset, the seed leaves the value as
    /// it is, so an admin's change survives a restart.
    /// </summary>
    public const string MaxConcurrentJobsKey = "Jobs:Dev:MaxConcurrentJobs";

    /// <summary>
    /// When set, the demo workspace's requests per minute per API key
    /// (default 600: docs/design.md, "Admission, limits and fairness"). The benchmarks submit thousands of jobs with
    /// one key and raise it (<c>Jobs__Dev__RequestsPerMinute=1000000</c>); unset, the seed leaves the value as it is,
    /// so an admin's change survives a restart.
    /// </summary>
    public const string RequestsPerMinuteKey = "Jobs:Dev:RequestsPerMinute";

    /// <summary>When set, the demo workspace's bulk jobs per user per hour (default 10); the browser tests raise it.</summary>
    public const string BulkJobsPerHourKey = "Jobs:Dev:BulkJobsPerHour";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var apiKey = configuration["JOBS_DEV_API_KEY"] is { Length: > 0 } key ? key : DevelopmentSeed.DefaultApiKey;
        var acmeApiKey = configuration["JOBS_DEV_API_KEY_2"] is { Length: > 0 } key2 ? key2 : DevelopmentSeed.DefaultAcmeApiKey;
        var password = configuration["JOBS_DEV_PASSWORD"] is { Length: > 0 } secret ? secret : DevelopmentSeed.DefaultPassword;
        await SeedAsync(
            new WorkspaceSeed(DevelopmentSeed.WorkspaceId, "demo", DevelopmentSeed.UserId, DevelopmentSeed.Email, "Demo user", apiKey),
            password,
            cancellationToken);
        // The benchmarks' and browser tests' overrides of demo's limits: each checked against its ceiling, then all set
        // in one statement.
        var overrides = new WorkspaceLimitOverrides(
            MaxConcurrentJobs: LimitOverride(MaxConcurrentJobsKey, ceilings.Value.MaxConcurrentJobs),
            RequestsPerMinute: LimitOverride(RequestsPerMinuteKey, ceilings.Value.RequestsPerMinute),
            BulkJobsPerHour: LimitOverride(BulkJobsPerHourKey, ceilings.Value.BulkJobsPerHour));
        if (!overrides.IsEmpty)
        {
            await workspaces.WorkspaceLimitsOverrideAsync(DevelopmentSeed.WorkspaceId, overrides, cancellationToken);
        }

        // The contacts workload's demo data (docs/design.md, "Workloads"): 5,000 contacts and a few sequences, missing
        // ones only.
        await DemoContacts.SeedAsync(contacts, DevelopmentSeed.WorkspaceId, DemoContacts.DefaultCount, cancellationToken);
        await SeedAsync(new WorkspaceSeed(DevelopmentSeed.AcmeWorkspaceId, "acme", DevelopmentSeed.AcmeUserId, DevelopmentSeed.AcmeEmail, "Acme user", acmeApiKey), password, cancellationToken);

        logger.LogInformation(
            "Development workspace 'demo' is ready. API key: {ApiKey} (send it as X-Api-Key). Sign in to the UI as {Email} / {Password}. A second workspace 'acme': key {AcmeKey}, user {AcmeEmail}",
            apiKey, DevelopmentSeed.Email, password, acmeApiKey, DevelopmentSeed.AcmeEmail);
    }

    /// <summary>
    /// The configured value of one of demo's limits, null when unset. Like an admin's value, an override stays within the
    /// operator's ceiling, <paramref name="max"/>.
    /// </summary>
    private int? LimitOverride(string configKey, int max)
    {
        if (configuration.GetValue<int?>(configKey) is not { } value)
        {
            return null;
        }

        if (value < 1 || value > max)
        {
            throw new InvalidOperationException(
                $"{configKey} must be between 1 and {max} (the ceiling, {LimitCeilingsOptions.Section}), is {value}.");
        }

        return value;
    }

    private async Task SeedAsync(WorkspaceSeed seed, string password, CancellationToken cancellationToken)
    {
        var caller = await workspaces.WorkspaceEnsureAsync(seed, cancellationToken);
        var account = await workspaces.UserGetAsync(caller.UserId, cancellationToken);
        // Re-hashed on every start, so a changed JOBS_DEV_PASSWORD takes effect.
        await workspaces.UserSetPasswordHashAsync(caller.UserId, new PasswordHasher<UserAccount>().HashPassword(account!, password), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
