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
public sealed class JobsHub(IJobStore store) : Hub
{
    public const string Path = "/hubs/jobs";
    public const string JobUpdatedMethod = "jobUpdated";

    /// <summary>Hub errors are sent to the client as they are, so this one says no more than a 404 does.</summary>
    public const string JobNotFoundMessage = "job not found";

    public static string JobGroup(Guid jobId) => $"job:{jobId}";

    public static string WorkspaceGroup(Guid workspaceId) => $"workspace:{workspaceId}";

    /// <summary>
    /// Joins the job's group and returns the job as it is now. Another workspace's job fails exactly like a job that
    /// does not exist.
    /// </summary>
    public async Task<JobUpdate> SubscribeJob(Guid jobId)
    {
        var workspaceId = Context.User!.ToCaller().WorkspaceId;
        var cancellationToken = Context.ConnectionAborted;
        // The first read proves the job is the caller's before the connection may hear anything of it; the second,
        // after joining, is the snapshot, so no update can fall between the snapshot and the subscription.
        if (await store.JobGetAsync(workspaceId, jobId, cancellationToken) is null)
        {
            throw new HubException(JobNotFoundMessage);
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, JobGroup(jobId), cancellationToken);
        var job = await store.JobGetAsync(workspaceId, jobId, cancellationToken)
            ?? throw new HubException(JobNotFoundMessage);
        return JobUpdate.From(job);
    }

    public Task UnsubscribeJob(Guid jobId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, JobGroup(jobId), Context.ConnectionAborted);

    /// <summary>Joins the caller's own workspace; there is no way to name another one.</summary>
    public Task SubscribeWorkspace() =>
        Groups.AddToGroupAsync(Context.ConnectionId, WorkspaceGroup(Context.User!.ToCaller().WorkspaceId), Context.ConnectionAborted);

    public Task UnsubscribeWorkspace() =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, WorkspaceGroup(Context.User!.ToCaller().WorkspaceId), Context.ConnectionAborted);
}
