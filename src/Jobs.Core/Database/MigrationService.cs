using Jobs.Core.Engine.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Jobs.Core.Database;

/// <summary>
/// Applies migrations before the host starts serving. PostgreSQL may still be starting when a process comes up
/// (the AppHost waits for it, a container platform may not), so connection failures are retried for a while.
/// </summary>
public sealed class MigrationService(Migrator migrator, ILogger<MigrationService> logger) : IHostedService
{
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + GiveUpAfter;
        while (true)
        {
            try
            {
                await migrator.MigrateAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && DateTimeOffset.UtcNow < deadline)
            {
                logger.LogWarning("PostgreSQL is not reachable yet ({Message}); retrying", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
