using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Jobs.Hosting.Local;

/// <summary>Asks the kernel for a loopback port nobody is listening on.</summary>
public static class FreePort
{
    // The kernel may hand the same ephemeral port out twice in a row once it is released, so two replicas asked
    // for in a row could both get it: a port is never returned twice by one process.
    private static readonly ConcurrentDictionary<int, bool> Given = new();

    /// <summary>
    /// The port is released before it is returned, so another process could take it first; servers started right
    /// after are fine in practice, and a clash shows up as a failed start rather than a silent misbehaviour.
    /// </summary>
    public static int Next()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            if (Given.TryAdd(port, true))
            {
                return port;
            }
        }
    }
}
