using Jobs.Hosting.Local;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// redis-server from this machine's binaries, run by Aspire as an executable: the run-mode twin of
/// <see cref="RedisResource"/>, its connection string in the StackExchange.Redis form (<c>host:port</c>). No password:
/// it listens on 127.0.0.1 only.
/// </summary>
public sealed class LocalRedisResource(string name, ProcessCommand command, string dataDirectory, int port)
    : ExecutableResource(name, command.FileName, dataDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";

    public string DataDirectory { get; } = dataDirectory;

    public int Port { get; } = port;

    public EndpointReference PrimaryEndpoint => field ??= new(this, PrimaryEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
