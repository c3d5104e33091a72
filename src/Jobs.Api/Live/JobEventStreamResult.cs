using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Events;
using Jobs.Messaging;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace Jobs.Api.Live;

/// <summary>
/// The Server-Sent Events stream of one job: the row first (unless the client's <c>Last-Event-ID</c> already covers
/// it), then every update with a higher sequence, each as <c>event: job</c> with <c>id:</c> its sequence; a
/// <c>: heartbeat</c> comment at a fixed interval keeps proxies from closing an idle stream. The stream ends after a
/// final status, when the client goes away, when <paramref name="ended"/> fires (the caller's key was revoked), or when
/// the host stops (the client reconnects with Last-Event-ID).
/// </summary>
public sealed class JobEventStreamResult(
    Job job,
    JobUpdateListener listener,
    long? lastEventId,
    TimeSpan heartbeatInterval,
    TimeProvider time,
    CancellationToken ended)
    : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public const string ContentType = "text/event-stream";
    public const string EventName = "job";

    private static readonly byte[] Heartbeat = ": heartbeat\n\n"u8.ToArray();

    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, ended);
        var cancellationToken = stop.Token;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-cache";
        // nginx (and proxies that follow it) would otherwise buffer the stream and deliver it in bursts.
        response.Headers["X-Accel-Buffering"] = "no";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        try
        {
            // Headers go out now, so the client knows the stream is open even when there is nothing to send yet (a
            // resumed stream whose client has the row): StartAsync only queues them, the flush sends them.
            await response.StartAsync(cancellationToken);
            await response.Body.FlushAsync(cancellationToken);
            var last = lastEventId ?? long.MinValue;
            if (job.Version > last)
            {
                await WriteEventAsync(response, JobUpdate.From(job), cancellationToken);
                last = job.Version;
            }

            if (JobStatus.IsFinal(job.Status))
            {
                return;
            }

            await StreamUpdatesAsync(response, last, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away, or its key was revoked: nothing to finish.
        }
        finally
        {
            listener.Dispose();
        }
    }

    private async Task StreamUpdatesAsync(HttpResponse response, long last, CancellationToken cancellationToken)
    {
        using var heartbeat = new PeriodicTimer(heartbeatInterval, time);
        // Both waits stay pending across turns of the loop: PeriodicTimer allows one waiter at a time.
        var tick = heartbeat.WaitForNextTickAsync(cancellationToken).AsTask();
        var wake = listener.WaitToReadAsync(cancellationToken).AsTask();
        while (true)
        {
            if (await Task.WhenAny(wake, tick) == tick)
            {
                await tick;
                await response.Body.WriteAsync(Heartbeat, cancellationToken);
                await response.Body.FlushAsync(cancellationToken);
                tick = heartbeat.WaitForNextTickAsync(cancellationToken).AsTask();
                continue;
            }

            if (!await wake)
            {
                return; // The host is stopping.
            }

            while (listener.TryRead(out var update))
            {
                // Older or repeated sequences are already covered by what the client has (the row or an update).
                if (update.Sequence <= last)
                {
                    continue;
                }

                await WriteEventAsync(response, update, cancellationToken);
                last = update.Sequence;
                if (JobStatus.IsFinal(update.Status))
                {
                    return;
                }
            }

            wake = listener.WaitToReadAsync(cancellationToken).AsTask();
        }
    }

    private static async Task WriteEventAsync(HttpResponse response, JobUpdate update, CancellationToken cancellationToken)
    {
        // Serialized JSON has no raw line breaks, so one data: line carries it whole.
        var text = string.Create(CultureInfo.InvariantCulture,
            $"event: {EventName}\nid: {update.Sequence}\ndata: {JsonSerializer.Serialize(update, JobUpdateChannel.SerializerOptions)}\n\n");
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(JobUpdate), [ContentType]));
}
