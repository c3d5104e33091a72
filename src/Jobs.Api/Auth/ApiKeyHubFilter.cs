using Microsoft.AspNetCore.SignalR;

namespace Jobs.Api.Auth;

/// <summary>
/// Ends the SignalR connections made with a key when the key's lookup is evicted (<see cref="ApiKeyConnections"/>).
/// </summary>
public sealed class ApiKeyHubFilter(ApiKeyConnections connections) : IHubFilter
{
    private static readonly object RegistrationItem = new();

    public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var connection = context.Context;
        if (connections.Track(connection.User, connection.Abort) is { } registration)
        {
            connection.Items[RegistrationItem] = registration;
        }

        await next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (context.Context.Items.TryGetValue(RegistrationItem, out var registration))
        {
            (registration as IDisposable)?.Dispose();
        }

        await next(context, exception);
    }
}
