using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Jobs.Api.Jobs;

/// <summary>The headers of a submit's answers, as the OpenAPI document describes them.</summary>
public static class SubmitHeaders
{
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (operation.Responses?.GetValueOrDefault("202") is OpenApiResponse accepted && context.Description.RelativePath == "api/jobs")
        {
            accepted.Headers ??= new Dictionary<string, IOpenApiHeader>();
            accepted.Headers["Location"] = new OpenApiHeader
            {
                Description = "The new job's URL.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" },
            };
        }

        if (operation.Responses?.GetValueOrDefault("200") is OpenApiResponse replayed)
        {
            replayed.Description = "A replay: the same Idempotency-Key with the same request, answered with what it made then.";
            replayed.Headers ??= new Dictionary<string, IOpenApiHeader>();
            replayed.Headers[JobsApi.IdempotentReplayedHeader] = new OpenApiHeader
            {
                Description = "`true`: nothing new was submitted.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["true"] },
            };
        }

        return Task.CompletedTask;
    }
}
