using Jobs.Hosting.Local;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// PostgreSQL from this machine's binaries, run by Aspire as an executable (there is no container engine here): the
/// run-mode twin of <see cref="PostgresServerResource"/>, with the same connection string shape. It listens on
/// 127.0.0.1 only, on a port that is not proxied, so the services' connections go straight to it.
/// </summary>
public sealed class LocalPostgresResource(string name, ProcessCommand command, string dataDirectory, int port)
    : ExecutableResource(name, command.FileName, PostgresCluster.WorkingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    /// <summary>
    /// Fixed rather than generated: the cluster keeps the password it was initialised with, so it must outlive user
    /// secrets and machines' settings. The server listens on the loopback address only.
    /// </summary>
    public const string Password = "postgres";

    public string DataDirectory { get; } = dataDirectory;

    public int Port { get; } = port;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    /// <summary>The databases to create once the server accepts connections: resource name → database name.</summary>
    public Dictionary<string, string> Databases { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The AppHost's own connection (health checks, creating databases), known before the server starts.</summary>
    internal string LocalConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username={PostgresCluster.ServiceUser};Password={Password};Database={database}";

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={PostgresCluster.ServiceUser};Password={Password}");
}
