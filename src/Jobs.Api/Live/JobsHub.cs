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
    /// <remarks>
    /// Ids come as strings so that a malformed one gets an error that says so (<c>invalid_job_id</c>); bound as a
    /// <see cref="Guid"/>, SignalR would refuse it before this method with only "an error on the server". A malformed
    /// id is a mistake the client must hear about, so it is a <see cref="HubException"/>, logged as an error like any.
    /// </remarks>
    public async Task<JobUpdate?> SubscribeJob(string? jobId)
    {
        var id = ParseJobId(jobId);
        var workspaceId = Context.User!.ToCaller().WorkspaceId;
        var cancellationToken = Context.ConnectionAborted;
        // The first read proves the job is the caller's before the connection may hear anything of it; the second,
        // after joining, is the snapshot, so no update can fall between the snapshot and the subscription.
        if (await store.JobGetAsync(workspaceId, id, cancellationToken) is null)
        {
            logger.LogInformation("Refused SubscribeJob({JobId}) of connection {ConnectionId}: no such job in workspace {WorkspaceId}",
                id, Context.ConnectionId, workspaceId);
            return null;
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, JobGroup(id), cancellationToken);
        // Jobs are never moved between workspaces, so the row read above is still the caller's.
        var job = await store.JobGetAsync(workspaceId, id, cancellationToken);
        return job is null ? null : JobUpdate.From(job);
    }

    public Task UnsubscribeJob(string? jobId) =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, JobGroup(ParseJobId(jobId)), Context.ConnectionAborted);

    /// <summary>Joins the caller's own workspace; there is no way to name another one.</summary>
    public Task SubscribeWorkspace() =>
        Groups.AddToGroupAsync(Context.ConnectionId, WorkspaceGroup(Context.User!.ToCaller().WorkspaceId), Context.ConnectionAborted);

    public Task UnsubscribeWorkspace() =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, WorkspaceGroup(Context.User!.ToCaller().WorkspaceId), Context.ConnectionAborted);

    /// <summary>A malformed id is the client's mistake, so it is told what was wrong; the connection stays.</summary>
    private static Guid ParseJobId(string? jobId) =>
        Guid.TryParse(jobId, out var id)
            ? id
            : throw new HubException($"invalid_job_id: '{(jobId is { Length: > 64 } ? jobId[..64] + "…" : jobId)}' is not a job id (a UUID).");
}
