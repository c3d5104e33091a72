using Jobs.Core.Workspaces;

namespace Jobs.Api.Seeding;

/// <summary>
/// In Development only: makes sure the demo workspace, its user and its API key exist, and prints the key so that a
/// developer can call the API at once. Runs after migrations (hosted services start in registration order).
/// </summary>
public sealed class DevelopmentSeedService(IWorkspaceStore workspaces, IConfiguration configuration, ILogger<DevelopmentSeedService> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var apiKey = configuration["JOBS_DEV_API_KEY"] is { Length: > 0 } fromEnvironment ? fromEnvironment : DevelopmentSeed.DefaultApiKey;
        await workspaces.WorkspaceEnsureAsync(new WorkspaceSeed(
            DevelopmentSeed.WorkspaceId, "demo", DevelopmentSeed.UserId, DevelopmentSeed.Email, "Demo user", apiKey), cancellationToken);
        logger.LogInformation("Development workspace 'demo' is ready. API key: {ApiKey} (send it as X-Api-Key)", apiKey);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
