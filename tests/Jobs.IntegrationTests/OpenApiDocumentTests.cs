using System.Net.Http.Json;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// The OpenAPI document as a generator of clients reads it (Kiota, NSwag, openapi-typescript): what each operation
/// needs and answers, one problem schema for every error, and types a client can use.
/// </summary>
public sealed class OpenApiDocumentTests(Servers servers) : IAsyncLifetime
{
    private static readonly string[] Methods = ["get", "post", "put", "patch", "delete"];
    // The only operations without a key: adding one here is a decision, not an accident.
    private static readonly string[] Anonymous = ["SignIn", "AcceptInvitation", "AcceptPasswordReset"];

    private TestCluster cluster = null!;
    private JsonElement document;

    public async ValueTask InitializeAsync()
    {
        cluster = await TestCluster.StartAsync(servers, workers: 0);
        document = await cluster.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
    }

    public async ValueTask DisposeAsync() => await cluster.DisposeAsync();

    /// <summary>
    /// docs/openapi/v1.json is what the API serves: teams generate clients from it (this project does, with Kiota), so it
    /// must change with the API. <c>JOBS_UPDATE_OPENAPI=1</c> writes the served document there instead of comparing.
    /// </summary>
    [Fact]
    public async Task TheCommittedDocument_IsTheOneTheApiServes()
    {
        var path = typeof(OpenApiDocumentTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "OpenApiDocument").Value!;
        // Readable as committed: no \u escapes for the document's own text.
        var served = JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
        if (Environment.GetEnvironmentVariable("JOBS_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        (await File.ReadAllTextAsync(path)).ShouldBe(served,
            "docs/openapi/v1.json is not what the API serves. Update it with JOBS_UPDATE_OPENAPI=1 dotnet test --project " +
            "tests/Jobs.IntegrationTests --filter-method '*TheCommittedDocument*', then build again: the generated client follows.");
    }

    [Fact]
    public void EveryOperationThatTakesAKey_SaysSo_AndAnswers401_And429WithRetryAfter_AndItsRateLimitHeaders()
    {
        document.GetProperty("components").GetProperty("securitySchemes").GetProperty("apiKey").GetProperty("name").GetString().ShouldBe("X-Api-Key");
        var operations = Operations().ToList();
        operations.Count.ShouldBeGreaterThan(20);
        foreach (var (name, operation) in operations)
        {
            var responses = operation.GetProperty("responses");
            responses.TryGetProperty("503", out _).ShouldBeTrue(name);
            if (Anonymous.Contains(name))
            {
                operation.TryGetProperty("security", out _).ShouldBeFalse(name);
                continue;
            }

            operation.GetProperty("security")[0].TryGetProperty("apiKey", out _).ShouldBeTrue(name);
            responses.TryGetProperty("401", out _).ShouldBeTrue(name);
            responses.GetProperty("429").GetProperty("headers").TryGetProperty("Retry-After", out _).ShouldBeTrue(name);
            foreach (var response in responses.EnumerateObject())
            {
                response.Value.GetProperty("headers").TryGetProperty("RateLimit-Remaining", out _).ShouldBeTrue($"{name} {response.Name}");
            }
        }
    }

    [Fact]
    public void EveryProblemAnswer_IsTheOneProblemSchema_WithItsCodeTraceIdAndFieldErrors()
    {
        var problems = 0;
        foreach (var (name, operation) in Operations())
        {
            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                if (response.Value.TryGetProperty("content", out var content) && content.TryGetProperty("application/problem+json", out var problem))
                {
                    problems++;
                    problem.GetProperty("schema").GetProperty("$ref").GetString().ShouldBe("#/components/schemas/Problem", $"{name} {response.Name}");
                }
            }
        }

        problems.ShouldBeGreaterThan(100);
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var members = schemas.GetProperty("Problem").GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        members.ShouldContain("code");
        members.ShouldContain("traceId");
        members.ShouldContain("errors");
        members.ShouldContain("retryAfterSeconds");
        // No .NET type leaks into a client: the framework's problem types and JsonElement are gone.
        schemas.EnumerateObject().Select(s => s.Name).ShouldNotContain("ProblemDetails");
        schemas.EnumerateObject().Select(s => s.Name).ShouldNotContain("HttpValidationProblemDetails");
        schemas.EnumerateObject().Select(s => s.Name).ShouldNotContain("JsonElement");
    }

    [Fact]
    public void AnOperationWithAnIdAnswers404_AndOneWithABodyAnswers413And415()
    {
        foreach (var (path, method, operation) in OperationsWithPaths())
        {
            var responses = operation.GetProperty("responses");
            if (path.Contains('{'))
            {
                responses.TryGetProperty("404", out _).ShouldBeTrue($"{method} {path}");
            }

            if (operation.TryGetProperty("requestBody", out _))
            {
                responses.TryGetProperty("413", out _).ShouldBeTrue($"{method} {path}");
                responses.TryGetProperty("415", out _).ShouldBeTrue($"{method} {path}");
            }
        }
    }

    [Fact]
    public void Submit_RequiresTypeAndPayload_NotNull_AnyJsonPayload_IntegerPriority_AndDescribesItsHeadersAndConflicts()
    {
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var submit = schemas.GetProperty("SubmitJobRequest");
        submit.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldBe(["type", "payload"]);
        var members = submit.GetProperty("properties");
        members.GetProperty("type").GetProperty("type").GetString().ShouldBe("string");
        members.GetProperty("payload").TryGetProperty("type", out _).ShouldBeFalse("any JSON value");
        members.GetProperty("priority").GetProperty("type").EnumerateArray().Select(t => t.GetString()).ShouldBe(["null", "integer"]);
        schemas.GetProperty("JobResponse").GetProperty("properties").GetProperty("status").GetProperty("enum").EnumerateArray()
            .Select(s => s.GetString()).ShouldBe(["pending", "processing", "completed", "failed", "cancelled"]);

        var post = document.GetProperty("paths").GetProperty("/api/jobs").GetProperty("post").GetProperty("responses");
        post.GetProperty("202").GetProperty("headers").TryGetProperty("Location", out _).ShouldBeTrue();
        post.GetProperty("200").GetProperty("headers").TryGetProperty("Idempotent-Replayed", out _).ShouldBeTrue();
        post.TryGetProperty("422", out _).ShouldBeTrue();
        foreach (var action in new[] { "cancel", "retry" })
        {
            document.GetProperty("paths").GetProperty($"/api/jobs/{{id}}/{action}").GetProperty("post").GetProperty("responses").TryGetProperty("409", out _).ShouldBeTrue(action);
        }
    }

    private IEnumerable<(string Name, JsonElement Operation)> Operations() =>
        OperationsWithPaths().Select(o => (o.Operation.GetProperty("operationId").GetString()!, o.Operation));

    private IEnumerable<(string Path, string Method, JsonElement Operation)> OperationsWithPaths() =>
        from path in document.GetProperty("paths").EnumerateObject()
        from method in path.Value.EnumerateObject()
        where Methods.Contains(method.Name)
        select (path.Name, method.Name, method.Value);
}
