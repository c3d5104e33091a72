using System.Net;
using System.Net.Sockets;
using Aspire.Hosting.ApplicationModel;
using Jobs.Hosting.Local;

namespace Jobs.Hosting.AppModel;

/// <summary>The ports of <see cref="LocalRun"/>'s resources, chosen before anything starts.</summary>
internal sealed partial class LocalRun
{
    private void AssignPorts()
    {
        foreach (var resource in resources)
        {
            switch (resource)
            {
                case PostgresServerResource postgres:
                    _ports[postgres] = Reserve(postgres.Name, postgres.Port);
                    break;
                case RedisResource redis:
                    _ports[redis] = Reserve(redis.Name, redis.Port);
                    break;
                case ProjectResource project:
                    if (project.Replicas > 1 && project.HttpPort is not null)
                    {
                        throw new NotSupportedException($"'{project.Name}': replicas on a fixed port need Aspire's proxy; the local AppHost gives each replica its own port.");
                    }

                    _replicas[project] = [.. Enumerable.Range(0, project.Replicas).Select(i => new ProjectReplica(
                        project.Replicas > 1 ? $"{project.Name}-{i}" : project.Name,
                        project.HasHttpEndpoint ? $"http://127.0.0.1:{Reserve(project.Name, project.HttpPort)}" : null,
                        project.HealthCheckPath))];
                    break;
            }
        }
    }

    private static int Reserve(string resource, int? fixedPort)
    {
        if (fixedPort is not { } port)
        {
            return FreePort.Next();
        }

        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return port;
        }
        catch (SocketException)
        {
            throw new InvalidOperationException($"'{resource}' needs port {port}, which is in use (another AppHost running?). Stop it or choose another port.");
        }
    }
}
