using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog.Declarations;
using Jobs.Worker.Processing;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>Handlers only the test workers run, for engine behaviour the demo type cannot show.</summary>
public static class TestHandlers
{
    /// <summary>
    /// Throws a non-retryable error: the job must fail at once, whatever its attempt budget. Its payload is any object
    /// (<see cref="JsonObject"/>: <c>{"type": "object"}</c>), which the hostile-input tests rely on.
    /// </summary>
    [JobType(TypeName, Description = "Fails with a non-retryable error.", MaxAttempts = 5, TimeoutSeconds = 60)]
    public sealed class FailPermanently : JobHandler<JsonObject, JsonElement>
    {
        public const string TypeName = "test.fail-permanently";

        protected override Task<JsonElement> HandleAsync(JobContext context, JsonObject payload, CancellationToken cancellationToken) =>
            throw new NonRetryableJobException("The input can never work.");
    }
}
