using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

internal static class LoopbackEndpointExtensions
{
    /// <summary>
    /// A tcp endpoint on 127.0.0.1:<paramref name="port"/> that DCP does not proxy: every query, stream read and publish
    /// of every service crosses the servers' endpoints, and a proxy would add a hop to each. A proxy-less endpoint needs
    /// its port known up front, which is also the port in the server's arguments.
    /// </summary>
    public static IResourceBuilder<T> WithLoopbackEndpoint<T>(this IResourceBuilder<T> builder, string name, int port)
        where T : IResourceWithEndpoints =>
        builder.WithEndpoint(name, endpoint =>
        {
            endpoint.Port = port;
            endpoint.TargetPort = port;
            endpoint.TargetHost = "127.0.0.1";
            endpoint.IsProxied = false;
            endpoint.UriScheme = "tcp";
        });
}
