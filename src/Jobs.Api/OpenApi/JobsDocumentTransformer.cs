using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Jobs.Api.OpenApi;

/// <summary>
/// What the whole document shares: its title, the API-key and stream-token security schemes, and one <c>Problem</c> schema for every
/// error answer (RFC 9457 with the API's stable <c>code</c>, <c>traceId</c>, the failing fields and the members some
/// problems add), in place of the framework's two problem types.
/// </summary>
public sealed class JobsDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string ApiKeyScheme = "apiKey";
    public const string StreamTokenScheme = "streamToken";
    public const string ProblemSchema = "Problem";
    public const string ProblemContentType = "application/problem+json";

    private static readonly string[] FrameworkProblemSchemas = ["ProblemDetails", "HttpValidationProblemDetails"];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        // The servers would name whichever host asked for the document; a client sets its own base address.
        document.Servers?.Clear();
        document.Info.Title = "Jobs API";
        document.Info.Description = "Submit background jobs, follow their progress, cancel and retry them. Every error is " +
            "application/problem+json with a stable `code`; validation errors name the failing fields in `errors`.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = "X-Api-Key",
            Description = "An API key of the workspace (Settings → API keys), or a web session's key.",
        };
        document.Components.SecuritySchemes[StreamTokenScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Query,
            Name = "access_token",
            Description = "A stream token (POST /api/jobs/{id}/stream-token or POST /api/stream-tokens), for a browser's " +
                "EventSource or SignalR WebSocket. Accepted on a job's event stream and the hub only; an API key is never accepted in a URL.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();

        // Every problem answer refers to the one schema: generated clients get one error type with every member.
        foreach (var operation in document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            foreach (var response in (operation.Responses ?? []).Values.OfType<OpenApiResponse>())
            {
                foreach (var (type, media) in response.Content ?? new Dictionary<string, OpenApiMediaType>())
                {
                    if (type == ProblemContentType || media.Schema is OpenApiSchemaReference { Reference.Id: { } id } && FrameworkProblemSchemas.Contains(id))
                    {
                        media.Schema = new OpenApiSchemaReference(ProblemSchema, document);
                    }
                }
            }
        }

        foreach (var name in FrameworkProblemSchemas)
        {
            document.Components.Schemas.Remove(name);
        }

        return Task.CompletedTask;
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "RFC 9457 problem details. Branch on `code`; `title` and `detail` are for people.",
        Required = new HashSet<string> { "type", "title", "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = String("A URI naming the kind of problem."),
            ["title"] = String("A short summary of the kind of problem."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["detail"] = String("What happened in this occurrence."),
            ["instance"] = String("The request the problem is about."),
            ["code"] = String("A stable, machine-readable code, e.g. `validation_failed`, `job_not_found`, `rate_limited`."),
            ["traceId"] = String("The trace of the request, for support."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "For `validation_failed`: each failing field (a JSON path such as `jobs[1].payload.items`) and why.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = String(null) },
            },
            ["jobId"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid", Description = "The job a conflict is about (`idempotency_key_reused`)." },
            ["jobStatus"] = String("The job's status when a transition was refused (`invalid_transition`)."),
            ["limit"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The limit that was reached (429)." },
            ["window"] = String("The window the limit counts in (429), e.g. `1 minute`."),
            ["retryAfterSeconds"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "When to try again (429), as `Retry-After`." },
        },
        // Problems may carry more members; clients should keep them.
        AdditionalPropertiesAllowed = true,
    };

    private static OpenApiSchema String(string? description) => new() { Type = JsonSchemaType.String, Description = description };
}
