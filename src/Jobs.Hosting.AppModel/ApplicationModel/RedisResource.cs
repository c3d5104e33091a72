namespace Aspire.Hosting.ApplicationModel;

/// <summary>A Redis server: a container under Aspire, the machine's redis-server locally.</summary>
public class RedisResource(string name) : IResourceWithConnectionString
{
    public string Name { get; } = name;

    /// <summary>Host port; null picks a free one.</summary>
    internal int? Port { get; set; }
}
