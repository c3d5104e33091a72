using System.Net;
using System.Net.Sockets;

namespace Jobs.Hosting.Local;

/// <summary>Asks the kernel for a loopback port nobody is listening on.</summary>
public static class FreePort
{
    /// <summary>
    /// The port is released before it is returned, so another process could take it first; servers started right
    /// after are fine in practice, and a clash shows up as a failed start rather than a silent misbehaviour.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
