namespace Jobs.Web.Api;

/// <summary>A live worker that runs some of the workspace's jobs now, and how many.</summary>
public sealed record WorkerView(string Id, long RunningJobs, DateTimeOffset HeartbeatAt);
