using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Jobs.Api.OpenApi;

/// <summary>
/// Descriptions an endpoint adds to its own operation, for what its metadata cannot say. They run after
/// <see cref="JobsOperationTransformer"/>.
/// </summary>
public static class OpenApiDescriptions
{
    /// <summary>
    /// A file download: 200 with the file, 206 with a part of it (<c>Range</c>), 304 when the client's copy is current
    /// (<c>If-None-Match</c>); each under its own media type, or any when <paramref name="contentType"/> is null.
    /// </summary>
    public static Func<OpenApiOperation, OpenApiOperationTransformerContext, CancellationToken, Task> File(string? contentType, bool ranges) =>
        (operation, _, _) =>
        {
            operation.Responses ??= new OpenApiResponses();
            operation.Responses["200"] = FileResponse("The file.", contentType);
            if (ranges)
            {
                operation.Responses["206"] = FileResponse("The part of the file the Range header asked for.", contentType);
                operation.Responses["304"] = new OpenApiResponse { Description = "The client's copy (If-None-Match) is current." };
            }

            JobsOperationTransformer.AddRateLimitHeaders(operation);
            return Task.CompletedTask;
        };

    /// <summary>
    /// An upload's body (one file in a multipart/form-data part named <c>file</c>, or the file itself as text/csv) and
    /// the problems of receiving it. The endpoint reads its body itself, so no metadata says it has one.
    /// </summary>
    public static Task Upload(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        JobsOperationTransformer.Add(operation, document, "408", "The file did not arrive within the upload timeout (`upload_timeout`); nothing was stored.");
        JobsOperationTransformer.Add(operation, document, "413",
            "The file is larger than uploads may be (`payload_too_large`), or would take the workspace over its storage quota (`storage_quota_exceeded`).");
        JobsOperationTransformer.Add(operation, document, "415", "Neither multipart/form-data nor text/csv (`unsupported_media_type`).");
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "One file: a multipart/form-data part named file, or the raw body as text/csv.",
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["multipart/form-data"] = new()
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "file" },
                        Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = Binary() },
                    },
                },
                ["text/csv"] = new() { Schema = Binary() },
            },
        };
        JobsOperationTransformer.AddRateLimitHeaders(operation);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A job's Server-Sent Events: <c>text/event-stream</c> of <c>job</c> events, 204 when the client's
    /// <c>Last-Event-ID</c> is already the final state, 403 for a stream token of another job; a stream token in the
    /// query string is accepted in place of the key.
    /// </summary>
    public static Task EventStream(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        operation.Responses ??= new OpenApiResponses();
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "Server-Sent Events until the job reaches a final status: each event is named `job`, its `id` is the " +
                "job's sequence (send it back as Last-Event-ID to resume) and its `data` the job as GET /api/jobs/{id} returns it, " +
                "progress included. A `: heartbeat` comment comes when nothing else has for a while.",
            Content = new Dictionary<string, OpenApiMediaType> { ["text/event-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
        };
        operation.Responses["204"] = new OpenApiResponse
        {
            Description = "The Last-Event-ID sent is the job's final state: there is nothing more (an EventSource stops reconnecting).",
        };
        JobsOperationTransformer.Add(operation, document, "403", "A stream token for another job (`stream_token_scope`).");
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(JobsDocumentTransformer.StreamTokenScheme, document)] = [] });
        JobsOperationTransformer.AddRateLimitHeaders(operation);
        return Task.CompletedTask;
    }

    private static OpenApiResponse FileResponse(string description, string? contentType) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { [contentType ?? "application/octet-stream"] = new() { Schema = Binary() } },
    };

    private static OpenApiSchema Binary() => new() { Type = JsonSchemaType.String, Format = "binary" };
}
