using System.Globalization;
using System.Text.Json.Nodes;
using Jobs.Api.Auth;
using Jobs.Api.Contacts;
using Jobs.Api.Paging;
using Jobs.Contracts.Jobs;
using Jobs.Core.Workloads.Contacts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Jobs.Api.OpenApi;

/// <summary>
/// The answers every operation can give besides its own, read from its endpoint's metadata so that a new endpoint
/// gets them too: 401 and the API-key requirement where a key is needed, 403 for admins-only, 404 for an id in the
/// path (unknown, or another workspace's), 413 and 415 for a body, 429 with <c>Retry-After</c> where a rate limit
/// applies, 503 while the database is busy; and the rate-limit headers on every answer to a key.
/// </summary>
public sealed class JobsOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var needsKey = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var adminOnly = metadata.OfType<IAuthorizeData>().Any(a => a.Policy == CallerClaims.AdminPolicy);
        var parameters = context.Description.ParameterDescriptions;
        // A body bound by the framework; an endpoint that reads its body itself (an upload) describes it in its own transformer.
        var hasBody = parameters.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Form || p.Source == BindingSource.FormFile)
            || metadata.OfType<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>().Any();
        var hasId = parameters.Any(p => p.Source == BindingSource.Path);
        var rateLimited = needsKey || metadata.OfType<EnableRateLimitingAttribute>().Any();

        operation.Responses ??= new OpenApiResponses();
        var document = context.Document!;
        DescribeQueryParameters(operation, context.Description.RelativePath);
        if (needsKey)
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(JobsDocumentTransformer.ApiKeyScheme, document)] = [] }];
            Add(operation, document, "401", "No API key, or one that is unknown, revoked or expired (`unauthenticated`).");
        }

        if (adminOnly)
        {
            Add(operation, document, "403", "The key's user is not an admin of the workspace (`forbidden`).");
        }

        if (hasId)
        {
            Add(operation, document, "404", "Nothing with that id in the caller's workspace: another workspace's ids answer the same.");
        }

        if (hasBody)
        {
            Add(operation, document, "413", "The body is larger than the API accepts (`payload_too_large`).");
            Add(operation, document, "415", "The body is not of a content type this operation reads (`unsupported_media_type`).");
        }

        if (rateLimited)
        {
            var tooMany = Add(operation, document, "429", "A rate limit was reached (`rate_limited`, `bulk_rate_limited`); try again after `Retry-After` seconds.");
            tooMany.Headers!["Retry-After"] = Header("Seconds to wait before trying again.");
        }

        var busy = Add(operation, document, "503", "The database is busy or restarting (`database_unavailable`); nothing was written. Try again.");
        busy.Headers!["Retry-After"] = Header("Seconds to wait before trying again.");

        if (needsKey)
        {
            AddRateLimitHeaders(operation);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The RateLimit-* headers every answer to a key carries. An endpoint's own transformer runs after this one, so one
    /// that adds responses calls it again.
    /// </summary>
    internal static void AddRateLimitHeaders(OpenApiOperation operation)
    {
        foreach (var response in (operation.Responses ?? []).Values.OfType<OpenApiResponse>())
        {
            response.Headers ??= new Dictionary<string, IOpenApiHeader>();
            response.Headers.TryAdd("RateLimit-Limit", Header("Requests the key may make per minute."));
            response.Headers.TryAdd("RateLimit-Remaining", Header("Requests left in the current minute."));
            response.Headers.TryAdd("RateLimit-Reset", Header("Seconds until the minute starts again."));
        }
    }

    /// <summary>
    /// The query parameters read as text and parsed by the API itself (so that a bad value is a field error, not a
    /// framework 400), typed as what they take: they mean the same on every list.
    /// </summary>
    private static void DescribeQueryParameters(OpenApiOperation operation, string? path)
    {
        foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query))
        {
            parameter.Schema = parameter.Name switch
            {
                "limit" => new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer,
                    Format = "int32",
                    Minimum = "1",
                    Maximum = PageQuery.MaxPageSize.ToString(CultureInfo.InvariantCulture),
                    Default = PageQuery.DefaultPageSize,
                    Description = "Items per page.",
                },
                "cursor" => new OpenApiSchema { Type = JsonSchemaType.String, Description = "The previous page's nextCursor, as it came." },
                "scheduleId" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", Description = "Only the jobs this schedule made." },
                "optedOut" or "doNotContact" => new OpenApiSchema { Type = JsonSchemaType.Boolean },
                "sort" => new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. Enum.GetNames<ContactSort>().Select(n => (JsonNode)n.ToLowerInvariant())] },
                "status" when path == "api/jobs" => new OpenApiSchema { Type = JsonSchemaType.String, Enum = [.. JobStatus.All.Select(s => (JsonNode)s)] },
                _ => parameter.Schema,
            };
        }
    }

    /// <summary>A problem answer for <paramref name="status"/>, unless the operation declares its own.</summary>
    internal static OpenApiResponse Add(OpenApiOperation operation, OpenApiDocument document, string status, string description)
    {
        if (operation.Responses!.TryGetValue(status, out var existing) && existing is OpenApiResponse declared)
        {
            declared.Headers ??= new Dictionary<string, IOpenApiHeader>();
            return declared;
        }

        var response = new OpenApiResponse
        {
            Description = description,
            Headers = new Dictionary<string, IOpenApiHeader>(),
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [JobsDocumentTransformer.ProblemContentType] = new() { Schema = new OpenApiSchemaReference(JobsDocumentTransformer.ProblemSchema, document) },
            },
        };
        operation.Responses[status] = response;
        return response;
    }

    private static OpenApiHeader Header(string description) =>
        new() { Description = description, Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" } };
}
