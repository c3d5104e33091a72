using System.Text.Json;
using Jobs.Core.Engine.Catalog;

namespace Jobs.Worker.Processing;

/// <summary>
/// Runs one job type. Execution is at-least-once (docs/design.md, "Delivery invariants"): after a crash the same job
/// may run again, so a handler is idempotent or checkpoints. Throw
/// <see cref="Jobs.Core.Engine.NonRetryableJobException"/> for errors a retry cannot fix; any other exception is retried
/// with backoff while attempts remain.
/// </summary>
public interface IJobHandler
{
    JobTypeDefinition Definition { get; }

    /// <returns>The job's result, stored on the row.</returns>
    Task<JsonElement> HandleAsync(JobContext context, CancellationToken cancellationToken);
}
