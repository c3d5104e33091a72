using Jobs.Api.Auth;
using Jobs.Core.Events;
using Jobs.Core.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Jobs.Api.Live;

/// <summary>
/// SignalR at <c>/hubs/jobs</c> (DESIGN §6, §7). A client subscribes to one job, or to its whole workspace, and then
/// receives <c>jobUpdated</c> messages carrying a <see cref="JobUpdate"/>. It applies only updates whose sequence is
/// higher than the last one it applied: a connection that joined both a job and its workspace hears the job twice,
/// and updates of one job may arrive out of order when different processes publish them.
/// </summary>
[Authorize]
public sealed class JobsHub(IJobStore store, ILogger<JobsHub> logger) : Hub
{
    public const string Path = "/hubs/jobs";
    public const string JobUpdatedMethod = "jobUpdated";


    public static string JobGroup(Guid jobId) => $"job:{jobId}";

    public static string WorkspaceGroup(Guid workspaceId) => $"workspace:{workspaceId}";

    /// <summary>
    /// Joins the job's group and returns the job as it is now. Another workspace's job is refused exactly like a job
    /// that does not exist: null, and the connection joins nothing. A refusal is a return value, not a
    /// <see cref="HubException"/>, because SignalR logs every exception out of a hub method as an error, and a client
    /// naming a job it cannot see is not a fault of the server.
    /// </summary>
    public async Task<JobUpdate?> SubscribeJob(Guid jobId)
    {
        var workspaceId = Context.User!.ToCaller().WorkspaceId;
        var cancellationToken = Context.ConnectionAborted;
        // The first read proves the job is the caller's before the connection may hear anything of it; the second,
        // after joining, is the snapshot, so no update can fall between the snapshot and the subscription.
        if (await store.JobGetAsync(workspaceId, jobId, cancellationToken) is null)
        {
            logger.LogInformation("Refused SubscribeJob({JobId}) of connection {ConnectionId}: no such job in workspace {WorkspaceId}",
                jobId, Context.ConnectionId, workspaceId);
            return null;
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, JobGroup(jobId), cancellationToken);
        // Jobs are never moved between workspaces, so the row read above is still the caller's.
        var job = await store.JobGetAsync(workspaceId, jobId, cancellationToken);
        return job is null ? null : JobUpdate.From(job);
    }

    public Task UnsubscribeJob(Guid jobId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, JobGroup(jobId), Context.ConnectionAborted);

    /// <summary>Joins the caller's own workspace; there is no way to name another one.</summary>
    public Task SubscribeWorkspace() =>
        Groups.AddToGroupAsync(Context.ConnectionId, WorkspaceGroup(Context.User!.ToCaller().WorkspaceId), Context.ConnectionAborted);

    public Task UnsubscribeWorkspace() =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, WorkspaceGroup(Context.User!.ToCaller().WorkspaceId), Context.ConnectionAborted);
}
