using System.Text.Json;
using Jobs.Testing;

namespace Jobs.AppHost.Tests;

/// <summary>The real Program.cs, published as the Aspire manifest by the built AppHost.</summary>
public sealed class AppHostManifestTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"jobs-manifest-{Guid.NewGuid():N}");
    private JsonElement _resources;

    public async ValueTask InitializeAsync()
    {
        var manifest = Path.Combine(_directory, "aspire-manifest.json");
        await using var host = AppHostProcess.Start(
            new Dictionary<string, string> { ["JOBS_DATA_DIR"] = Path.Combine(_directory, "data") },
            ["--publisher", "manifest", "--output-path", manifest],
            onLine: null);
        (await host.WaitForExitAsync(TimeSpan.FromSeconds(60))).ShouldBeTrue(host.Tail);
        host.ExitCode.ShouldBe(0, host.Tail);

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(manifest));
        document.RootElement.GetProperty("$schema").GetString().ShouldBe("https://json.schemastore.org/aspire-8.0.json");
        _resources = document.RootElement.GetProperty("resources").Clone();
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
        postgres.GetProperty("volumes")[0].GetProperty("target").GetString().ShouldBe("/var/lib/postgresql/data");
        postgres.GetProperty("env").GetProperty("POSTGRES_PASSWORD").GetString().ShouldBe("{postgres-password.value}");
        _resources.GetProperty("jobsdb").GetProperty("connectionString").GetString().ShouldBe("{postgres.connectionString};Database=jobsdb");
    }

    [Fact]
    public void Redis_IsTheOfficialImage_WithAPassword()
    {
        var redis = _resources.GetProperty("redis");
        redis.GetProperty("image").GetString().ShouldStartWith("docker.io/library/redis:");
        redis.GetProperty("connectionString").GetString().ShouldBe("{redis.bindings.tcp.host}:{redis.bindings.tcp.port},password={redis-password.value}");
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

    [Fact]
    public void Worker_HasTwoReplicas_AndTheOthersOne()
    {
        _resources.GetProperty("worker").GetProperty("replicas").GetInt32().ShouldBe(2);
        _resources.GetProperty("api").TryGetProperty("replicas", out _).ShouldBeFalse();
        _resources.GetProperty("web").TryGetProperty("replicas", out _).ShouldBeFalse();
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

    private string? Type(string resource) => _resources.GetProperty(resource).GetProperty("type").GetString();
}
