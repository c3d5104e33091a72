using Jobs.Core.Identity;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Workspaces;

/// <summary>
/// At start-up, after the migrations: brings any workspace's limits above the operator's ceilings down to them, so a
/// ceiling the operator lowered holds from the next deployment on, also for limits set before it.
/// </summary>
public sealed class LimitCeilingsService(IWorkspaceStore workspaces, IOptions<LimitCeilingsOptions> options, ILogger<LimitCeilingsService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ceilings = options.Value.ToCeilings();
        var capped = await workspaces.WorkspaceLimitsCapAsync(ceilings, cancellationToken);
        if (capped > 0)
        {
            logger.LogWarning("Brought the limits of {Count} workspaces down to the operator's ceilings {Ceilings}", capped, ceilings);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
