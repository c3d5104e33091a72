using Jobs.Core.Workspaces;
using Microsoft.AspNetCore.Identity;

namespace Jobs.Api.Seeding;

/// <summary>
/// In Development only: makes sure the demo workspaces, their users (with passwords) and API keys exist, and prints
/// the credentials so that a developer can call the API and sign in at once. Runs after migrations (hosted services
/// start in registration order).
/// </summary>
public sealed class DevelopmentSeedService(IWorkspaceStore workspaces, IConfiguration configuration, ILogger<DevelopmentSeedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var apiKey = configuration["JOBS_DEV_API_KEY"] is { Length: > 0 } key ? key : DevelopmentSeed.DefaultApiKey;
        var password = configuration["JOBS_DEV_PASSWORD"] is { Length: > 0 } secret ? secret : DevelopmentSeed.DefaultPassword;

        await SeedAsync(new WorkspaceSeed(DevelopmentSeed.WorkspaceId, "demo", DevelopmentSeed.UserId, DevelopmentSeed.Email, "Demo user", apiKey), password, cancellationToken);
        await SeedAsync(new WorkspaceSeed(DevelopmentSeed.OtherWorkspaceId, "other", DevelopmentSeed.OtherUserId, DevelopmentSeed.OtherEmail, "Other user", DevelopmentSeed.OtherApiKey), password, cancellationToken);

        logger.LogInformation(
            "Development workspace 'demo' is ready. API key: {ApiKey} (send it as X-Api-Key). Sign in to the UI as {Email} / {Password}. A second workspace 'other': key {OtherKey}, user {OtherEmail}",
            apiKey, DevelopmentSeed.Email, password, DevelopmentSeed.OtherApiKey, DevelopmentSeed.OtherEmail);
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
