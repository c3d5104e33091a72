using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Jobs.Bench;

/// <summary>
/// A SignalR connection to <c>/hubs/jobs</c> over WebSockets (no negotiate round trip) that subscribes to one job, or
/// to the whole workspace, and counts <c>jobUpdated</c> messages.
/// </summary>
internal sealed class HubSubscriber(Uri api, string key, Guid jobId, bool workspace, TimeSpan connectTimeout) : Subscriber(jobId)
{
    private HubConnection? _connection;
    private volatile bool _closing;

    public override string Kind => workspace ? "signalr-workspace" : "signalr-job";

    public override async Task OpenAsync(CancellationToken ct)
    {
        _connection = new HubConnectionBuilder()
            .WithUrl(new Uri(api, "/hubs/jobs"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.Headers[HttpClientExtensions.ApiKeyHeader] = key;
            })
            .Build();
        // The payload is bound, as a client would; JsonElement is the cheapest binding that still reads it all.
        _connection.On<JsonElement>("jobUpdated", _ => Received());
        _connection.Closed += error =>
        {
            if (!_closing)
            {
                Fail(error?.Message ?? "the server closed the connection");
            }

            return Task.CompletedTask;
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(connectTimeout);
        try
        {
            await _connection.StartAsync(timeout.Token);
            if (workspace)
            {
                await _connection.InvokeAsync("SubscribeWorkspace", timeout.Token);
            }
            else
            {
                await _connection.InvokeAsync<JsonElement>("SubscribeJob", JobId, timeout.Token);
                Received(); // The snapshot SubscribeJob returns, as the SSE stream's first event.
            }

            Connected = true;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or HubException or InvalidOperationException
                                      or System.Net.WebSockets.WebSocketException)
        {
            Fail(e is OperationCanceledException ? $"not subscribed within {connectTimeout.TotalSeconds:0} s" : e.Message);
        }
    }

    public override async Task CloseAsync()
    {
        _closing = true;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
