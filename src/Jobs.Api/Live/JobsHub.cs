using Jobs.Api.Auth;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Events;
using Jobs.Core.Engine.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Live;

/// <summary>
/// SignalR at <c>/hubs/jobs</c> (docs/design.md, "Live updates"); protocol in docs/live-updates.md. A client subscribes
/// to one job, or to its whole workspace, and then receives <c>jobUpdated</c> messages carrying a
/// <see cref="JobUpdate"/>. It applies only updates whose sequence is higher than the last one it applied: a connection
/// that joined both a job and its workspace hears the job twice, and updates of one job may arrive out of order when
/// different processes publish them.
/// </summary>
/// <remarks>
/// One connection follows at most <see cref="ApiOptions.HubMaxJobsPerConnection"/> jobs, so that it cannot make this
/// instance keep an unbounded number of groups for it; <see cref="Limits.HubCallLimitFilter"/> limits its calls.
/// </remarks>
[Authorize]
public sealed class JobsHub(IJobStore store, IOptions<ApiOptions> options, ILogger<JobsHub> logger) : Hub
{
    public const string Path = "/hubs/jobs";
    public const string JobUpdatedMethod = "jobUpdated";

    private static readonly object FollowedJobsItem = new();

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
    /// id and a connection that follows too many jobs are mistakes the client must hear about, so they are
    /// <see cref="HubException"/>s, logged as errors like any; the call limits keep their number small.
    /// </remarks>
    public async Task<JobUpdate?> SubscribeJob(string? jobId)
    {
        var id = ParseJobId(jobId);
        if (!StreamTokens.MayFollow(Context.User!, id))
        {
            throw new HubException($"stream_token_scope: this connection's stream token follows another job than {id}.");
        }

        var workspaceId = Context.User!.ToCaller().WorkspaceId;
        var cancellationToken = Context.ConnectionAborted;
        var followed = FollowedJobs();
        bool followedBefore;
        lock (followed)
        {
            followedBefore = followed.Contains(id);
            var max = options.Value.HubMaxJobsPerConnection;
            if (!followedBefore && followed.Count >= max)
            {
                throw new HubException($"too_many_subscriptions: this connection follows {max} jobs, the most it may. "
                    + "Unsubscribe from one first, or subscribe to the whole workspace.");
            }

            followed.Add(id);
        }

        // The first read proves the job is the caller's before the connection may hear anything of it; the second,
        // after joining, is the snapshot, so no update can fall between the snapshot and the subscription.
        if (await store.JobGetAsync(workspaceId, id, cancellationToken) is null)
        {
            if (!followedBefore)
            {
                lock (followed)
                {
                    followed.Remove(id);
                }
            }

            logger.LogInformation("Refused SubscribeJob({JobId}) of connection {ConnectionId}: no such job in workspace {WorkspaceId}",
                id, Context.ConnectionId, workspaceId);
            return null;
        }

        await Groups.AddToGroupAsync(Context.ConnectionId, JobGroup(id), cancellationToken);
        // Jobs are never moved between workspaces, so the row read above is still the caller's.
        var job = await store.JobGetAsync(workspaceId, id, cancellationToken);
        return job is null ? null : JobUpdate.From(job);
    }

    public async Task UnsubscribeJob(string? jobId)
    {
        var id = ParseJobId(jobId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, JobGroup(id), Context.ConnectionAborted);
        var followed = FollowedJobs();
        lock (followed)
        {
            followed.Remove(id);
        }
    }

    /// <summary>
    /// Joins the caller's own workspace; there is no way to name another one. A connection opened with a stream token
    /// for one job may not.
    /// </summary>
    public Task SubscribeWorkspace() =>
        StreamTokens.MayFollowWorkspace(Context.User!)
            ? Groups.AddToGroupAsync(Context.ConnectionId, WorkspaceGroup(Context.User!.ToCaller().WorkspaceId), Context.ConnectionAborted)
            : throw new HubException("stream_token_scope: this connection's stream token follows one job; mint a workspace token (POST /api/stream-tokens).");

    public Task UnsubscribeWorkspace() =>
        Groups.RemoveFromGroupAsync(Context.ConnectionId, WorkspaceGroup(Context.User!.ToCaller().WorkspaceId), Context.ConnectionAborted);

    private HashSet<Guid> FollowedJobs()
    {
        if (Context.Items.TryGetValue(FollowedJobsItem, out var item) && item is HashSet<Guid> followed)
        {
            return followed;
        }

        followed = [];
        Context.Items[FollowedJobsItem] = followed;
        return followed;
    }

    /// <summary>A malformed id is the client's mistake, so it is told what was wrong; the connection stays.</summary>
    private static Guid ParseJobId(string? jobId) =>
        Guid.TryParse(jobId, out var id)
            ? id
            : throw new HubException($"invalid_job_id: '{(jobId is { Length: > 64 } ? jobId[..64] + "…" : jobId)}' is not a job id (a UUID).");
}
