using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Jobs.Contracts.Jobs;

namespace Jobs.Client;

/// <summary>
/// Following a job over Server-Sent Events (<c>GET /api/jobs/{id}/events</c>, docs/live-updates.md, "Server-Sent
/// Events"): the watch's transport when the hub cannot be reached or is not wanted (<see cref="WatchTransport"/>).
/// </summary>
public sealed partial class JobsClient
{
    private const string LastEventIdHeader = "Last-Event-ID";
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    /// <summary>
    /// Reads the job's events into <paramref name="updates"/> until its final one, and completes it; a stream that ends
    /// or breaks before that is opened again with <c>Last-Event-ID</c>, so the server sends only what is newer, for up
    /// to <see cref="ReconnectFor"/> without a stream open. A problem answer (404, 401) ends the watch with it.
    /// </summary>
    private async Task FollowEventsAsync(Guid jobId, ChannelWriter<JobUpdate> updates, CancellationToken cancellationToken)
    {
        string? lastEventId = null;
        var retries = 0;
        var quiet = Stopwatch.StartNew();
        try
        {
            while (true)
            {
                Exception? broken = null;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"api/jobs/{jobId}/events");
                    request.Headers.Accept.Add(EventStream);
                    if (lastEventId is not null)
                    {
                        request.Headers.TryAddWithoutValidation(LastEventIdHeader, lastEventId);
                    }

                    using var response = await SendCheckedAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    if (response.StatusCode == HttpStatusCode.NoContent)
                    {
                        // The job is final and its final event was read already (docs/live-updates.md).
                        updates.TryComplete();
                        return;
                    }

                    quiet.Restart();
                    await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                    await foreach (var (id, update) in ReadEventsAsync(body, cancellationToken))
                    {
                        lastEventId = id ?? lastEventId;
                        retries = 0;
                        quiet.Restart();
                        updates.TryWrite(update);
                        if (JobStatus.IsFinal(update.Status))
                        {
                            updates.TryComplete();
                            return;
                        }
                    }

                    // Ended before the final event: the API stopped, or a proxy cut an idle or long response.
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested && IsPassing(e))
                {
                    broken = e;
                }

                if (quiet.Elapsed > ReconnectFor)
                {
                    throw new JobsWatchException($"The event stream for job {jobId} was lost and could not be opened again.", broken);
                }

                await Task.Delay(RetryDelay(retries++), cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            updates.TryComplete();
        }
        catch (Exception e)
        {
            updates.TryComplete(e);
        }
    }

    /// <summary>A fault worth opening the stream again for: the network, or the API unavailable or busy for a moment.</summary>
    private static bool IsPassing(Exception e) => e switch
    {
        HttpRequestException or IOException => true,
        JobsApiException api => api.Status is HttpStatusCode.TooManyRequests || (int)api.Status >= 500,
        _ => false,
    };

    /// <summary>
    /// The stream's <c>job</c> events with their ids, as the SSE format frames them: fields up to a blank line,
    /// <c>data</c> lines joined, comments (the <c>: heartbeat</c>) skipped.
    /// </summary>
    private static async IAsyncEnumerable<(string? Id, JobUpdate Update)> ReadEventsAsync(Stream body,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        string? id = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return (id, JsonSerializer.Deserialize<JobUpdate>(data.ToString(), Json)
                        ?? throw new JsonException("An event of the stream had no update."));
                }

                (id, data) = (null, data.Clear());
                continue;
            }

            if (line[0] == ':')
            {
                continue;
            }

            var colon = line.IndexOf(':');
            var field = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            value = value.StartsWith(' ') ? value[1..] : value;
            if (field == "id")
            {
                id = value;
            }
            else if (field == "data")
            {
                data.Append(data.Length > 0 ? "\n" : "").Append(value);
            }
        }
    }
}
