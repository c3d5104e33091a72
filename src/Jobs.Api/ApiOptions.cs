using System.ComponentModel.DataAnnotations;

namespace Jobs.Api;

/// <summary>Settings of the API (section <c>Api</c>), validated at start-up.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Largest request body accepted, in bytes (a batch of 1,000 jobs fits).</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>Largest payload of one job, in bytes of its JSON (an inline diagram of <c>journey.from-diagram</c> fits).</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int MaxPayloadBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>How long a workspace's limits are cached per instance: an admin's change applies within this time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan LimitsCacheDuration { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an <c>Idempotency-Key</c> returns the job it made; after that the same key makes a new job.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan IdempotencyKeyLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How often an idle Server-Sent Events stream sends a <c>: heartbeat</c> comment, so that proxies and
    /// load balancers do not close it, and a client notices a dead connection.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan SseHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Hub calls one SignalR connection may make at once before it is held to <see cref="HubCallsPerSecond"/>: enough
    /// to follow a page of jobs in one go. Calls that pass also count against the key's requests per minute.
    /// </summary>
    [Range(1, 10_000)]
    public int HubCallBurst { get; set; } = 100;

    /// <summary>The pace a SignalR connection's calls are held to once its burst is spent.</summary>
    [Range(1, 10_000)]
    public int HubCallsPerSecond { get; set; } = 20;

    /// <summary>
    /// How many jobs one SignalR connection may follow at once (<c>SubscribeJob</c>): the largest page of the jobs list
    /// (200), so a client can follow every job it shows. More than that is what <c>SubscribeWorkspace</c> is for.
    /// </summary>
    [Range(1, 100_000)]
    public int HubMaxJobsPerConnection { get; set; } = 200;

    /// <summary>
    /// How long a stream token (<c>POST /api/jobs/{id}/stream-token</c>) may open connections: a browser mints one just
    /// before it opens an EventSource or a hub connection, and a new one to reconnect after this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan StreamTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
