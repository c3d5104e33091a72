using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.Testing;

namespace Jobs.AppHost.Tests;

/// <summary>The real Program.cs, published by Aspire's own manifest publisher from the built AppHost.</summary>
public sealed partial class AppHostManifestTests : IAsyncLifetime
{
    internal const string ApiForwardingSecret = "Api__TrustedForwarding__Secret";
    internal const string WebForwardingSecret = "Jobs__Web__ForwardingSecret";
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"jobs-manifest-{Guid.NewGuid():N}");
    private JsonElement _manifest;
    private JsonElement _resources;

    public async ValueTask InitializeAsync()
    {
        _manifest = await PublishedManifest.GenerateAsync(_directory);
        _resources = _manifest.GetProperty("resources");
    }

    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public void Publishing_StartsNothing()
    {
        Directory.Exists(Path.Combine(_directory, "data")).ShouldBeFalse();
    }

    [Fact]
    public void Manifest_DescribesTheTopologyOfTheDesign()
    {
        Type("postgres").ShouldBe("container.v0");
        Type("jobsdb").ShouldBe("value.v0");
        Type("redis").ShouldBe("container.v0");
        Type("api").ShouldBe("project.v0");
        Type("worker").ShouldBe("project.v0");
        Type("web").ShouldBe("project.v0");
        Type("postgres-password").ShouldBe("parameter.v0");
        Type("redis-password").ShouldBe("parameter.v0");
    }

    [Fact]
    public void Postgres_IsTheOfficialImage_WithADataVolume()
    {
        var postgres = _resources.GetProperty("postgres");
        postgres.GetProperty("image").GetString().ShouldStartWith("docker.io/library/postgres:");
        postgres.GetProperty("volumes")[0].GetProperty("target").GetString().ShouldBe("/var/lib/postgresql");
        postgres.GetProperty("env").GetProperty("POSTGRES_PASSWORD").GetString().ShouldBe("{postgres-password.value}");
        _resources.GetProperty("jobsdb").GetProperty("connectionString").GetString().ShouldBe("{postgres.connectionString};Database=jobsdb");
    }

    [Fact]
    public void Redis_IsTheOfficialImage_WithAPassword()
    {
        var redis = _resources.GetProperty("redis");
        redis.GetProperty("image").GetString().ShouldStartWith("docker.io/library/redis:");
        // Aspire appends a TLS setting that is empty unless TLS is turned on.
        redis.GetProperty("connectionString").GetString().ShouldStartWith("{redis.bindings.tcp.host}:{redis.bindings.tcp.port},password={redis-password.value}");
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    public void ApiAndWorker_ReferenceTheDatabaseAndRedis(string name)
    {
        var env = _resources.GetProperty(name).GetProperty("env");
        env.GetProperty("ConnectionStrings__jobsdb").GetString().ShouldBe("{jobsdb.connectionString}");
        env.GetProperty("ConnectionStrings__redis").GetString().ShouldBe("{redis.connectionString}");
        env.GetProperty("HTTP_PORTS").GetString().ShouldBe($"{{{name}.bindings.http.targetPort}}");
    }

    [Fact]
    public void Web_ReferencesTheApiByServiceDiscovery_AndRedis()
    {
        var env = _resources.GetProperty("web").GetProperty("env");
        env.GetProperty("services__api__http__0").GetString().ShouldBe("{api.bindings.http.url}");
        env.GetProperty("ConnectionStrings__redis").GetString().ShouldBe("{redis.connectionString}");
        env.TryGetProperty("ConnectionStrings__jobsdb", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    [InlineData("web")]
    public void Services_GetOnlyTheDesignsContract_FromTheirReferences(string name)
    {
        // Besides Aspire's own settings for any project (ports, forwarded headers, OTLP retries) and the forwarding
        // secret of the API and the web, only the keys of the configuration contract
        // (docs/design.md, "Configuration contract"); not the connection parts Aspire would add by default
        // (JOBSDB_HOST, REDIS_URI, API_HTTP, …).
        string[] aspires = ["HTTP_PORTS", "ASPNETCORE_FORWARDEDHEADERS_ENABLED", "OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"];
        string[] secrets = [ApiForwardingSecret, WebForwardingSecret];
        var fromReferences = _resources.GetProperty(name).GetProperty("env").EnumerateObject().Select(p => p.Name).Except(aspires).Except(secrets);

        fromReferences.ShouldAllBe(n => n.StartsWith("ConnectionStrings__") || n.StartsWith("services__"));
    }

    [Fact]
    public void ForwardingSecret_IsAGeneratedSecretParameter_GivenToTheApiAndTheWebOnly()
    {
        Type("forwarding-secret").ShouldBe("parameter.v0");
        var input = _resources.GetProperty("forwarding-secret").GetProperty("inputs").GetProperty("value");
        input.GetProperty("secret").GetBoolean().ShouldBeTrue();
        input.GetProperty("default").GetProperty("generate").GetProperty("minLength").GetInt32().ShouldBeGreaterThanOrEqualTo(32);

        _resources.GetProperty("api").GetProperty("env").GetProperty(ApiForwardingSecret).GetString().ShouldBe("{forwarding-secret.value}");
        _resources.GetProperty("web").GetProperty("env").GetProperty(WebForwardingSecret).GetString().ShouldBe("{forwarding-secret.value}");
        _resources.GetProperty("worker").GetProperty("env").EnumerateObject().Select(p => p.Value.GetString()).ShouldNotContain("{forwarding-secret.value}");
    }

    [Fact]
    public void EveryExpression_ResolvesToAResourceProperty()
    {
        var expressions = 0;
        foreach (var text in Strings(_resources))
        {
            foreach (Match match in Expression().Matches(text))
            {
                expressions++;
                Resolves(match.Groups[1].Value).ShouldBeTrue($"{match.Value} in \"{text}\" names nothing in the manifest");
            }
        }

        expressions.ShouldBeGreaterThan(10);
    }

    [Theory]
    [InlineData("api", true)]
    [InlineData("web", true)]
    [InlineData("worker", false)]
    public void OnlyApiAndWeb_AreExternal_AndNoPortIsFixedOutsideRunMode(string name, bool external)
    {
        var http = _resources.GetProperty(name).GetProperty("bindings").GetProperty("http");
        http.GetProperty("scheme").GetString().ShouldBe("http");
        (http.TryGetProperty("external", out var value) && value.GetBoolean()).ShouldBe(external);
        http.TryGetProperty("port", out _).ShouldBeFalse();
    }

    [Theory]
    [InlineData("api", "Jobs.Api")]
    [InlineData("worker", "Jobs.Worker")]
    [InlineData("web", "Jobs.Web")]
    public void ProjectPaths_AreRelativeToTheManifest_AndExist(string name, string project)
    {
        var path = _resources.GetProperty(name).GetProperty("path").GetString()!;
        Path.IsPathRooted(path).ShouldBeFalse();
        path.ShouldEndWith($"{project}/{project}.csproj");
        File.Exists(Path.Combine(_directory, path)).ShouldBeTrue();
    }

    /// <summary>
    /// What a deployment tool can substitute: a connection string, a parameter's value or input, a binding's
    /// parts (Aspire's manifest format).
    /// </summary>
    private bool Resolves(string expression)
    {
        var parts = expression.Split('.');
        if (!_resources.TryGetProperty(parts[0], out var resource))
        {
            return false;
        }

        return parts[1..] switch
        {
            ["connectionString"] => resource.TryGetProperty("connectionString", out _),
            ["value"] => resource.TryGetProperty("value", out _),
            ["inputs", var input] => resource.TryGetProperty("inputs", out var inputs) && inputs.TryGetProperty(input, out _),
            ["bindings", var binding, var part] => resource.TryGetProperty("bindings", out var bindings)
                && bindings.TryGetProperty(binding, out _)
                && part is "url" or "host" or "port" or "targetPort" or "scheme",
            _ => false,
        };
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    [GeneratedRegex(@"\{([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)\}")]
    private static partial Regex Expression();

    private string? Type(string resource) => _resources.GetProperty(resource).GetProperty("type").GetString();
}
