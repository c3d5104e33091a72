using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog;
using Jobs.Worker.Processing;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>Handlers only the test workers run, for engine behaviour the demo type cannot show.</summary>
public static class TestHandlers
{
    /// <summary>Throws a non-retryable error: the job must fail at once, whatever its attempt budget.</summary>
    public sealed class FailPermanently : IJobHandler
    {
        public const string TypeName = "test.fail-permanently";

        public JobTypeDefinition Definition { get; } = new(TypeName, "Fails with a non-retryable error.", "default",
            new JsonObject { ["type"] = "object" }, MaxAttempts: 5, TimeoutSeconds: 60);

        public Task<JsonElement> HandleAsync(JobContext context, CancellationToken cancellationToken) =>
            throw new NonRetryableJobException("The input can never work.");
    }
}
