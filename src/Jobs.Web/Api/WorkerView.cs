namespace Jobs.Web.Api;

/// <summary>A worker whose heartbeat is recent.</summary>
public sealed record WorkerView(string Id, string Host, IReadOnlyList<string> Queues, int Slots, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt);
