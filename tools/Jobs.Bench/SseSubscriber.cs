namespace Jobs.Bench;

/// <summary>
/// <c>GET /api/jobs/{id}/events</c>, read line by line: each <c>data:</c> line is one update. Nothing is parsed beyond
/// noticing a final status, so that the client spends as little as possible of the CPU the API shares with it.
/// </summary>
internal sealed class SseSubscriber(HttpClient http, Guid jobId, TimeSpan connectTimeout) : Subscriber(jobId)
{
    private static readonly string[] FinalStatuses = ["\"status\":\"completed\"", "\"status\":\"failed\"", "\"status\":\"cancelled\""];

    private readonly CancellationTokenSource _close = new();
    private Task _reading = Task.CompletedTask;

    public override string Kind => "sse";

    public override async Task OpenAsync(CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _close.Token);
        linked.CancelAfter(connectTimeout);
        HttpResponseMessage? response = null;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{JobId}/events");
            request.Headers.Accept.ParseAdd("text/event-stream");
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if ((int)response.StatusCode != 200)
            {
                Fail($"answered {(int)response.StatusCode}");
                response.Dispose();
                return;
            }

            var stream = await response.Content.ReadAsStreamAsync(linked.Token);
            Connected = true;
            _reading = ReadAsync(response, stream);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            response?.Dispose();
            Fail(e is OperationCanceledException ? $"no answer within {connectTimeout.TotalSeconds:0} s" : e.Message);
        }
    }

    public override async Task CloseAsync()
    {
        await _close.CancelAsync();
        await _reading;
        _close.Dispose();
    }

    private async Task ReadAsync(HttpResponseMessage response, Stream stream)
    {
        using var _ = response;
        using var reader = new StreamReader(stream);
        try
        {
            while (await reader.ReadLineAsync(_close.Token) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue; // event:, id:, blank separators and ": heartbeat" comments.
                }

                Received();
                if (FinalStatuses.Any(s => line.Contains(s, StringComparison.Ordinal)))
                {
                    JobFinished = true;
                }
            }

            if (!JobFinished)
            {
                Fail("the server ended the stream");
            }
        }
        catch (OperationCanceledException) when (_close.IsCancellationRequested)
        {
            // Closed by the run.
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            if (!_close.IsCancellationRequested)
            {
                Fail(e.Message);
            }
        }
    }
}
