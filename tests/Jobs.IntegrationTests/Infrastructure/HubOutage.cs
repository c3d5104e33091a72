using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>
/// An outage of an API's hub, as a restart or a network fault makes one: <see cref="Begin"/> cuts every open hub
/// connection from the server and answers the hub's path 503 until <see cref="End"/>, so clients lose the updates
/// sent meanwhile and must reconnect. Install it with <see cref="Install"/> as the API's <c>configureApi</c>.
/// </summary>
public sealed class HubOutage : IHubFilter, IStartupFilter
{
    private readonly Lock gate = new();
    private readonly List<HubCallerContext> open = [];
    private volatile bool down;

    /// <summary>Connections the hub accepted, reconnections included.</summary>
    public int Connections { get; private set; }

    public void Install(IServiceCollection services)
    {
        services.Configure<HubOptions>(options => options.AddFilter(this));
        services.AddSingleton<IStartupFilter>(this);
    }

    /// <summary>Aborts the open connections; new ones are refused until <see cref="End"/>.</summary>
    public void Begin()
    {
        down = true;
        lock (gate)
        {
            // The request under the connection, not the hub context: HubCallerContext.Abort tells the client not to
            // reconnect, where a restart or a network fault just cuts the socket.
            foreach (var context in open)
            {
                context.GetHttpContext()!.Abort();
            }

            open.Clear();
        }
    }

    public void End() => down = false;

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        lock (gate)
        {
            open.Add(context.Context);
            Connections++;
        }

        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        lock (gate)
        {
            open.Remove(context.Context);
        }

        return next(context, exception);
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, call) =>
        {
            if (down && http.Request.Path.StartsWithSegments("/hubs"))
            {
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return;
            }

            await call(http);
        });
        next(app);
    };
}
