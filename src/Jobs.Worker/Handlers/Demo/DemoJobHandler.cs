using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog.Declarations;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Demo;

/// <summary>
/// The engine's own test and benchmark workload: processes <c>items</c> items of <c>delayMs</c> each, reporting
/// progress per item, and fails (retryably) its first <c>failAttempts</c> attempts. Result: <c>{items, attempt}</c>.
/// </summary>
/// <param name="configuration">
/// Test support: <c>Demo:AllowProcessCrash</c> lets <c>crashAfterItems</c> end the worker process abruptly, which
/// the chaos suite needs for a poison job; off by default, and a job asking for it elsewhere fails without retry.
/// </param>
[JobType(TypeName, Title = "Demo job", Items = "items", MaxAttempts = 3, TimeoutSeconds = 3600,
    Description = "Processes a number of items with a delay each; fails its first attempts on request. For trying the engine out.")]
[JobStage(Stage, "Processing items…")]
public sealed class DemoJobHandler(IConfiguration? configuration = null) : JobHandler<DemoPayload, DemoResult>
{
    public const string TypeName = "demo";
    public const string Stage = "processing";
    public const string AllowProcessCrashKey = "Demo:AllowProcessCrash";

    private readonly bool allowProcessCrash = configuration?.GetValue<bool>(AllowProcessCrashKey) ?? false;

    protected override async Task<DemoResult> HandleAsync(JobContext context, DemoPayload payload, CancellationToken cancellationToken)
    {
        await context.ReportAsync(percent: 0, stage: Stage, processedItems: 0, totalItems: payload.Items);
        if (context.Attempt <= payload.FailAttempts)
        {
            throw new InvalidOperationException($"Demo failure on attempt {context.Attempt} (the first {payload.FailAttempts} attempts fail).");
        }

        if (payload.CrashAfterItems is not null && !allowProcessCrash)
        {
            throw new NonRetryableJobException($"crashAfterItems needs a worker started with {AllowProcessCrashKey}=true.");
        }

        for (var item = 1; item <= payload.Items; item++)
        {
            CrashIfAsked(payload, item - 1);
            if (payload.DelayMs > 0)
            {
                await Task.Delay(payload.DelayMs, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            await context.ReportAsync(percent: (int)(item * 100L / payload.Items), processedItems: item);
        }

        CrashIfAsked(payload, payload.Items);
        return new DemoResult(payload.Items, context.Attempt);
    }

    private static void CrashIfAsked(DemoPayload payload, int itemsDone)
    {
        if (payload.CrashAfterItems == itemsDone)
        {
            // As a native crash or the OOM killer would: no finally blocks, no shutdown, no outcome written.
            Environment.FailFast($"Demo job asked the process to crash after {itemsDone} items (test support).");
        }
    }
}
