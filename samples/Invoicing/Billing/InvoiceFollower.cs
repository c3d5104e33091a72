using System.Threading.Channels;
using Jobs.Client;
using Jobs.Contracts.Jobs;

namespace Billing;

/// <summary>
/// Follows each submitted invoice's job live (<see cref="JobsClient.WatchAsync"/>) and logs its progress, stage by
/// stage, until it ends: what a real service would do to mark the invoice sent, or to tell a customer. A follow is
/// only this process's interest: if the service restarts, the job goes on regardless and <c>GET /invoices/{id}</c>
/// still reads it.
/// </summary>
public sealed partial class InvoiceFollower(JobsClient jobs, ILogger<InvoiceFollower> logger) : BackgroundService
{
    /// <summary>Watches at once; more wait for one to end.</summary>
    private const int MaxWatches = 32;

    private readonly Channel<(Guid JobId, string Number)> requests = Channel.CreateBounded<(Guid, string)>(
        new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public void Follow(Guid jobId, string number) => requests.Writer.TryWrite((jobId, number));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(MaxWatches);
        var watches = new List<Task>();
        try
        {
            await foreach (var (jobId, number) in requests.Reader.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                watches.RemoveAll(watch => watch.IsCompleted);
                watches.Add(WatchAsync(jobId, number, slots, stoppingToken));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: the watches end with the same token.
        }

        await Task.WhenAll(watches);
    }

    private async Task WatchAsync(Guid jobId, string number, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in jobs.WatchAsync(jobId, stoppingToken))
            {
                LogUpdate(number, jobId, update.Status, update.Stage, update.Progress, update.ProcessedItems, update.TotalItems);
                if (update.Status == JobStatus.Failed)
                {
                    LogFailed(number, jobId, update.Error);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (JobsApiException e)
        {
            LogLost(e, number, jobId);
        }
        catch (JobsWatchException e)
        {
            LogLost(e, number, jobId);
        }
        finally
        {
            slots.Release();
        }
    }

    [LoggerMessage(LogLevel.Information, "Invoice {Number} (job {JobId}): {Status}, {Stage} {Progress} % ({Processed} of {Total})")]
    private partial void LogUpdate(string number, Guid jobId, string status, string? stage, short progress, long? processed, long? total);

    [LoggerMessage(LogLevel.Warning, "Invoice {Number} (job {JobId}) failed: {Error}")]
    private partial void LogFailed(string number, Guid jobId, string? error);

    [LoggerMessage(LogLevel.Warning, "Invoice {Number} (job {JobId}): stopped following it")]
    private partial void LogLost(Exception exception, string number, Guid jobId);
}
