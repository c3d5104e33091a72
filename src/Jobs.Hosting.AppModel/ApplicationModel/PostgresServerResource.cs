namespace Aspire.Hosting.ApplicationModel;

/// <summary>A PostgreSQL server: a container under Aspire, the machine's own binaries locally.</summary>
public class PostgresServerResource(string name) : IResourceWithConnectionString
{
    public string Name { get; } = name;

    /// <summary>Host port; null picks a free one.</summary>
    internal int? Port { get; set; }

    /// <summary>Keep data across runs (under <c>.jobs/</c> locally).</summary>
    internal bool HasDataVolume { get; set; }

    internal List<PostgresDatabaseResource> Databases { get; } = [];

    /// <summary>Locally the cluster is initialised with this password; Aspire generates one per deployment.</summary>
    internal const string LocalPassword = "postgres";
}
