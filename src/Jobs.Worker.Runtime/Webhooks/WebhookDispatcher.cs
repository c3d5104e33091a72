using Jobs.Core.Hosting;
using Jobs.Core.Webhooks;
using Microsoft.Extensions.Options;

namespace Jobs.Worker.Webhooks;

/// <summary>
/// Sends due webhook deliveries (docs/design.md, "Webhooks"). Every worker runs one: the claim skips rows another
/// worker is claiming, so they share the load, and a claim is a lease (the delivery is due again after the attempt's
/// timeout and a margin), so a worker that dies mid-send leaves the delivery to the next claim: at least once. After a
/// failed attempt the delivery waits its turn in the retry schedule, with jitter; after the last it has failed.
/// </summary>
public sealed class WebhookDispatcher(
    IWebhookStore store,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>Beyond the attempt's timeout, before a claimed delivery is due again for another worker.</summary>
    public static readonly TimeSpan LeaseMargin = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RetentionInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        // Not disposed: a send still in flight after the shutdown deadline releases its slot later. A SemaphoreSlim whose
        // wait handle is never asked for holds nothing to dispose.
        var slots = new SemaphoreSlim(settings.Concurrency);
        var nextRetention = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            var free = 0;
            try
            {
                await slots.WaitAsync(stoppingToken);
                free = 1;
                while (free < settings.Concurrency && slots.Wait(0))
                {
                    free++;
                }

                var batch = await store.DispatchClaimAsync(free, settings.AttemptTimeout + LeaseMargin, stoppingToken);
                claimed = batch.Count;
                foreach (var dispatch in batch)
                {
                    _ = DeliverAsync(dispatch, slots, stoppingToken);
                }

                if (settings.DeliveryRetention > TimeSpan.Zero && time.GetUtcNow() >= nextRetention)
                {
                    nextRetention = time.GetUtcNow() + RetentionInterval;
                    await store.DeliveryDeleteFinishedAsync(time.GetUtcNow() - settings.DeliveryRetention, 10_000, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not claim webhook deliveries; trying again.");
            }
            finally
            {
                // Slots taken for this claim but not used by a delivery.
                if (free > claimed)
                {
                    slots.Release(free - claimed);
                }
            }

            if (claimed < free || claimed == 0)
            {
                try
                {
                    await Task.Delay(settings.PollInterval, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        // Sends in flight stop with the token; let them record what they got before the slots and sender go away, all
        // within one deadline (each one's recording has ten seconds of its own), not fifteen seconds per slot.
        using var drained = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            for (var i = 0; i < settings.Concurrency; i++)
            {
                await slots.WaitAsync(drained.Token);
            }
        }
        catch (OperationCanceledException) when (drained.IsCancellationRequested)
        {
            logger.LogWarning("Webhook deliveries still in flight at shutdown; the next dispatcher sends them again when their lease ends.");
        }
    }

    private async Task DeliverAsync(WebhookDispatch dispatch, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            var sent = await sender.SendAsync(dispatch, stoppingToken);
            var next = sent.Succeeded || sent.Gone ? null : NextAttemptAt(dispatch.Attempt);
            // Recorded even while shutting down: the receiver has the delivery, and an unrecorded attempt is sent again.
            using var recording = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var health = await store.DispatchRecordAsync(dispatch,
                new WebhookAttemptOutcome(sent.Succeeded, sent.StartedAt, sent.DurationMs, sent.StatusCode, sent.Error, sent.ResponseBody, next),
                recording.Token);
            JobsMetrics.WebhookAttempts.Add(1, new KeyValuePair<string, object?>("webhook.outcome",
                sent.Succeeded ? "succeeded" : sent.Gone ? "gone" : next is null ? "failed" : "retry"));
            if (sent.Gone)
            {
                await DisableAsync(dispatch, "The endpoint answered 410 Gone.", recording.Token);
            }
            else if (!sent.Succeeded && health is { Enabled: true, FailingSince: { } since } && ShouldDisable(health.ConsecutiveFailures, since))
            {
                await DisableAsync(dispatch,
                    $"{health.ConsecutiveFailures} attempts in a row failed since {since.UtcDateTime:yyyy-MM-dd HH:mm} UTC; the last: {sent.Error}",
                    recording.Token);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped mid-send: the claim's lease runs out and another attempt sends it again.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Webhook delivery {DeliveryId} to endpoint {EndpointId} could not be recorded; it is sent again after its lease.",
                dispatch.DeliveryId, dispatch.EndpointId);
        }
        finally
        {
            slots.Release();
        }
    }

    private bool ShouldDisable(int consecutiveFailures, DateTimeOffset failingSince) =>
        consecutiveFailures >= options.Value.DisableAfterFailures && time.GetUtcNow() - failingSince >= options.Value.DisableAfterFailingFor;

    private async Task DisableAsync(WebhookDispatch dispatch, string reason, CancellationToken cancellationToken)
    {
        if (await store.EndpointDisableAsync(dispatch.EndpointId, reason, cancellationToken))
        {
            // The endpoint's id only: its URL may carry a token of the receiver's.
            logger.LogWarning("Webhook endpoint {EndpointId} of workspace {WorkspaceId} disabled: {Reason}", dispatch.EndpointId, dispatch.WorkspaceId, reason);
        }
    }

    /// <summary>After the n-th failed attempt: the n-th retry delay plus up to 20 % jitter, or null when none is left.</summary>
    internal DateTimeOffset? NextAttemptAt(int failedAttempt)
    {
        var delays = options.Value.EffectiveRetryDelays;
        if (failedAttempt > delays.Count)
        {
            return null;
        }

        var delay = delays[failedAttempt - 1];
        return time.GetUtcNow() + delay + delay * (0.2 * Random.Shared.NextDouble());
    }
}
