using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Workspaces;
using Jobs.Core.Identity;

namespace Jobs.StoreTests.Infrastructure;

/// <summary>
/// A workspace of one test, and the steps that bring its jobs where a test needs them, each through the job store as
/// the API and the workers take them: submit (hinted within the free slots, as the API's submit), hint, claim.
/// </summary>
public sealed class TestWorkspace(TestDatabase database, Caller caller, string apiKey)
{
    /// <summary>Long enough that no lease of a test on the shared database expires while it runs.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    public Guid Id => caller.WorkspaceId;

    public Guid UserId => caller.UserId;

    /// <summary>The workspace's admin, as an in-process caller.</summary>
    public Caller Caller => caller;

    /// <summary>The seeded API key of <see cref="Caller"/>, in plain.</summary>
    public string ApiKey => apiKey;

    private IJobStore Jobs => database.Jobs;

    /// <summary>One job to submit; a payload of <c>{}</c> unless given.</summary>
    public static JobInsertParams Job(
        short priority = 0, DateTimeOffset? runAt = null, int maxAttempts = 3, string? key = null,
        string queue = "default", string type = "demo", string payload = "{}") =>
        new(type, queue, priority, JsonDocument.Parse(payload).RootElement, runAt, maxAttempts, TimeoutSeconds: 60, key);

    /// <summary>An insert of <paramref name="jobs"/> by this workspace's admin, hinting as the API's submit does.</summary>
    public JobInsertManyParams Insert(params JobInsertParams[] jobs) =>
        new(Id, UserId, jobs) { HintLimit = WorkspaceLimits.MaxHintsPerWorkspace };

    /// <summary>Submits the jobs and returns them; with <paramref name="hint"/> false none is hinted (ready, no slot).</summary>
    public async Task<IReadOnlyList<Job>> SubmitAsync(IEnumerable<JobInsertParams> jobs, bool hint = true)
    {
        var insert = Insert([.. jobs]);
        var result = await Jobs.JobInsertManyAsync(hint ? insert : insert with { HintLimit = 0 }, Ct);
        return [.. result.Results.Select(r => r.Job)];
    }

    /// <summary>Submits <paramref name="count"/> jobs of <see cref="Job"/>'s defaults.</summary>
    public Task<IReadOnlyList<Job>> SubmitAsync(int count, bool hint = true) =>
        SubmitAsync(Enumerable.Range(0, count).Select(_ => Job()), hint);

    public async Task<Job> SubmitOneAsync(JobInsertParams? job = null, bool hint = true) =>
        (await SubmitAsync([job ?? Job()], hint)).Single();

    /// <summary>Hints the workspace's next ready jobs into its free slots, as a fill does.</summary>
    public Task<IReadOnlyList<JobHint>> HintAsync(int limit = WorkspaceLimits.MaxHintsPerWorkspace) =>
        Jobs.JobHintDueAsync(new JobHintDueParams(Id, StaleAfter: null, limit, Leader: null), Ct);

    /// <summary>Claims the job for <paramref name="owner"/> and asserts that the claim won it.</summary>
    public async Task<Job> ClaimAsync(Guid jobId, string owner = "worker-1", TimeSpan? lease = null)
    {
        var result = await Jobs.JobClaimManyAsync(new JobClaimManyParams([jobId], owner, lease ?? Lease), Ct);
        return result.Claimed.ShouldHaveSingleItem();
    }

    /// <summary>A new job, submitted and claimed: processing on attempt 1 under <paramref name="owner"/>'s lease.</summary>
    public async Task<Job> StartAsync(string owner = "worker-1", TimeSpan? lease = null, JobInsertParams? job = null) =>
        await ClaimAsync((await SubmitOneAsync(job)).Id, owner, lease);

    /// <summary>
    /// Moves a running job to its next attempt under <paramref name="owner"/>: handed back, then claimed again, so the
    /// lease <paramref name="running"/> held is stale from then on.
    /// </summary>
    public async Task<Job> RestartAsync(Job running, string owner)
    {
        (await Jobs.JobHandBackIfRunningAsync(running.Lease, Ct)).ShouldNotBeNull();
        return await ClaimAsync(running.Id, owner);
    }

    /// <summary>Ends <paramref name="running"/>'s attempt as its worker would: completed, failed for good or cancelled.</summary>
    public async Task<Job> EndAsync(Job running, string status)
    {
        var ended = status switch
        {
            JobStatus.Completed =>
                (await Jobs.JobWriteManyAsync(AttemptWrites.Complete(AttemptWrites.Completion(running.Lease)), Ct)).Completed.SingleOrDefault(),
            JobStatus.Failed => await Jobs.JobFailIfRunningAsync(running.Lease, "boom", retryAfter: null, Ct),
            JobStatus.Cancelled => await Jobs.JobCancelIfRunningAsync(running.Lease, Ct),
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Not an end of an attempt."),
        };
        return ended.ShouldNotBeNull();
    }

    /// <summary>Changes only the workspace's concurrency limit, as an admin's limits form does.</summary>
    public async Task SetMaxConcurrentJobsAsync(int maxConcurrentJobs)
    {
        var workspace = (await database.Workspaces.WorkspaceGetAsync(Id, Ct)).ShouldNotBeNull();
        var limits = WorkspaceLimits.Of(workspace) with { MaxConcurrentJobs = maxConcurrentJobs };
        (await database.Workspaces.WorkspaceLimitsSetAsync(Id, limits, Ct)).ShouldBeTrue();
    }

    /// <summary>The ids of the workspace's jobs (of <paramref name="status"/> when given), newest first.</summary>
    public async Task<IReadOnlyList<Guid>> JobIdsAsync(string? status = null) =>
        [.. (await Jobs.JobListAsync(new JobListParams(Id, status, null, 1000, null), Ct)).Items.Select(j => j.Id)];

    public async Task<Job> GetAsync(Guid jobId) => (await Jobs.JobGetAsync(Id, jobId, Ct)).ShouldNotBeNull();

    /// <summary>The job's timeline, as the kinds of its events in order.</summary>
    public async Task<IReadOnlyList<string>> EventKindsAsync(Guid jobId) =>
        [.. (await Jobs.JobEventListAsync(Id, jobId, Ct)).Select(e => e.Kind)];
}
