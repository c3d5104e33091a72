namespace Jobs.Core.Engine.Storage;

/// <summary>A row of <c>workers</c>: one live worker process.</summary>
public sealed record WorkerInfo(string Id, string Host, string[] Queues, int Slots, DateTimeOffset StartedAt, DateTimeOffset HeartbeatAt);
