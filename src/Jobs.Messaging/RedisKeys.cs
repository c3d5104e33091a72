namespace Jobs.Messaging;

/// <summary>
/// Every Redis key and channel name Jobs uses, in one place. <see cref="Prefix"/> is empty in production; tests set
/// one so that many clusters share one Redis server without seeing each other.
/// </summary>
public sealed class RedisKeys(string prefix)
{
    public const string ConsumerGroup = "workers";

    public string Prefix { get; } = prefix;

    public string Stream(string queue) => $"{Prefix}jobs:stream:{queue}";

    public string EventsChannel(Guid workspaceId) => $"{Prefix}jobs:events:{workspaceId}";

    public string EventsPattern => $"{Prefix}jobs:events:*";

    /// <summary>Cancel requests: every worker hears them and stops the handler if the job runs there.</summary>
    public string CancelChannel => $"{Prefix}jobs:cancel";

    /// <summary>Published with every XADD of a queue, so that idle workers read at once instead of at their next poll.</summary>
    public string WakeChannel(string queue) => $"{Prefix}jobs:wake:{queue}";

    /// <summary>A rate limit's counter, shared by every API instance (<c>requests:{key id}</c>, <c>bulk:{workspace}:{user}</c>).</summary>
    public string RateLimit(string name) => $"{Prefix}jobs:limits:{name}";

    /// <summary>API key cache evictions (revocation, sign-out, role change): every API instance drops the key's lookup.</summary>
    public string ApiKeyEvictChannel => $"{Prefix}jobs:api-keys:evict";
}
