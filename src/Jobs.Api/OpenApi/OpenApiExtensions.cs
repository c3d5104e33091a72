using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;

namespace Jobs.Api.OpenApi;

public static class OpenApiExtensions
{
    /// <summary>
    /// The OpenAPI document (<c>/openapi/v1.json</c>) as generated clients need it: the API-key scheme on every operation
    /// that takes one, every problem an operation can answer with one problem schema, rate-limit headers, and types a
    /// client can use (any JSON where the API takes any JSON, enums where it takes a fixed set).
    /// </summary>
    public static IServiceCollection AddJobsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            // Any JSON is written in place ({}), not as a component named after .NET's JsonElement.
            options.CreateSchemaReferenceId = type => type.Type == typeof(JsonElement) || type.Type == typeof(JsonElement?)
                ? null
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddDocumentTransformer<JobsDocumentTransformer>();
            options.AddOperationTransformer<JobsOperationTransformer>();
            options.AddSchemaTransformer<JobsSchemaTransformer>();
        });
}
