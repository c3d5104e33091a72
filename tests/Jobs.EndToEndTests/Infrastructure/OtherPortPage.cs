using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Jobs.EndToEndTests.Infrastructure;

/// <summary>
/// One HTML page served from another port of the web's host: another origin of the same site, as a second app on the
/// same machine or a sibling subdomain would be. A real server, not a routed page: the browser must see a local address
/// on both sides, or it refuses the page's requests to the web for reasons of its own (local network access).
/// </summary>
public sealed class OtherPortPage : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _serving;

    private OtherPortPage(HttpListener listener, Uri url, string html)
    {
        _listener = listener;
        Url = url;
        _serving = ServeAsync(html);
    }

    public Uri Url { get; }

    public static OtherPortPage Start(string host, string html)
    {
        var port = FreePort();
        var url = new Uri($"http://{host}:{port}/");
        var listener = new HttpListener();
        listener.Prefixes.Add(url.ToString());
        listener.Start();
        return new OtherPortPage(listener, url, html);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
        {
            // Stopped while waiting for a request.
        }
    }

    private async Task ServeAsync(string html)
    {
        var body = Encoding.UTF8.GetBytes(html);
        while (_listener.IsListening)
        {
            var context = await _listener.GetContextAsync();
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
