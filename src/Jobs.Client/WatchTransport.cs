namespace Jobs.Client;

/// <summary>How <see cref="JobsClient.WatchAsync"/> follows a job (docs/api.md, ".NET client").</summary>
public enum WatchTransport
{
    /// <summary>The hub, and Server-Sent Events when the hub cannot be reached (a proxy that refuses it, say).</summary>
    Auto,

    /// <summary>The hub only: a hub that cannot be reached fails the watch.</summary>
    SignalR,

    /// <summary><c>GET /api/jobs/{id}/events</c> only: plain HTTP, for networks where the hub is not wanted.</summary>
    ServerSentEvents,
}
