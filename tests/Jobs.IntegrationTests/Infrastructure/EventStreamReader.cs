using System.Text;
using System.Text.Json;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>
/// Reads a <c>text/event-stream</c> body as a client would, one event or comment at a time. Written here rather than
/// taken from System.Net.ServerSentEvents because that parser hides comments, and the heartbeat is one.
/// </summary>
public sealed class EventStreamReader(Stream body) : IDisposable
{
    private readonly StreamReader reader = new(body, Encoding.UTF8);

    /// <summary>One dispatched event (<see cref="Comment"/> null) or one comment line (the rest null).</summary>
    public sealed record Item(string? Event, long? Id, string? Data, string? Comment)
    {
        public JsonElement Json => JsonDocument.Parse(Data!).RootElement;
    }

    /// <summary>Opens a job's event stream (<c>GET /api/jobs/{id}/events</c>), answered as soon as its headers arrive.</summary>
    public static async Task<HttpResponseMessage> OpenAsync(HttpClient client, Guid jobId, long? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{jobId}/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is { } seen)
        {
            request.Headers.Add("Last-Event-ID", seen.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    /// <summary>The next event or comment; null when the server has closed the stream.</summary>
    public async Task<Item?> ReadAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        string? name = null;
        long? id = null;
        StringBuilder? data = null;
        var started = false;
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"No event or comment within {timeout}.");
            }

            if (line is null)
            {
                return started ? new Item(name, id, data?.ToString(), null) : null;
            }

            if (line.Length == 0)
            {
                if (started)
                {
                    return new Item(name, id, data?.ToString(), null);
                }

                continue;
            }

            if (line[0] == ':')
            {
                if (!started)
                {
                    return new Item(null, null, null, line[1..].Trim());
                }

                continue;
            }

            started = true;
            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            value = value.StartsWith(' ') ? value[1..] : value;
            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "id":
                    id = long.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "data":
                    data = data is null ? new StringBuilder(value) : data.Append('\n').Append(value);
                    break;
            }
        }
    }

    /// <summary>Every remaining event (comments skipped) until the server closes the stream.</summary>
    public async Task<List<Item>> ReadEventsToEndAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var events = new List<Item>();
        while (await ReadAsync(Remaining(deadline)) is { } item)
        {
            if (item.Comment is null)
            {
                events.Add(item);
            }
        }

        return events;
    }

    /// <summary>The next event, skipping comments.</summary>
    public async Task<Item?> ReadEventAsync(TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (await ReadAsync(Remaining(deadline)) is { } item)
        {
            if (item.Comment is null)
            {
                return item;
            }
        }

        return null;
    }

    public void Dispose() => reader.Dispose();

    private static TimeSpan Remaining(DateTimeOffset deadline) =>
        deadline - DateTimeOffset.UtcNow is { Ticks: > 0 } left ? left : TimeSpan.FromMilliseconds(1);
}
