using System.Text.Json;
using Aspire.Hosting;

namespace Jobs.AppHost.Tests;

/// <summary>The local subset of Aspire's API, in-process, on small models of its own.</summary>
public sealed class AppModelTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"jobs-appmodel-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void Publish_WritesReferences_InTheOrderOfTheCalls_ButNoReplicaCount()
    {
        var builder = DistributedApplication.CreateBuilder(PublishArguments());
        var redis = builder.AddRedis("cache");
        var db = builder.AddPostgres("pg").AddDatabase("db");
        builder.AddProject<SampleProject>("svc", launchProfileName: null)
            .WithHttpEndpoint()
            .WithReference(redis).WithReference(db)
            .WithReplicas(3);

        builder.Build().Run();

        var svc = Manifest().GetProperty("resources").GetProperty("svc");
        // As Aspire's publisher: its schema closes project.v0, so the count lives in deploy/, not in the manifest.
        svc.TryGetProperty("replicas", out _).ShouldBeFalse();
        svc.GetProperty("env").EnumerateObject().Select(p => p.Name).Where(n => n.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
            .ShouldBe(["ConnectionStrings__cache", "ConnectionStrings__db"]);
    }

    [Fact]
    public void Publish_WithoutDataVolume_WritesNoVolume()
    {
        var builder = DistributedApplication.CreateBuilder(PublishArguments());
        builder.AddPostgres("pg");

        builder.Build().Run();

        Manifest().GetProperty("resources").GetProperty("pg").TryGetProperty("volumes", out _).ShouldBeFalse();
    }

    [Fact]
    public void ExecutionContext_IsPublishMode_OnlyWithThePublisherArgument()
    {
        DistributedApplication.CreateBuilder(PublishArguments()).ExecutionContext.IsPublishMode.ShouldBeTrue();
        DistributedApplication.CreateBuilder([]).ExecutionContext.IsRunMode.ShouldBeTrue();
    }

    [Fact]
    public void AddProject_WithALaunchProfile_IsNotSupported()
    {
        var builder = DistributedApplication.CreateBuilder([]);

        Should.Throw<NotSupportedException>(() => builder.AddProject<SampleProject>("svc", launchProfileName: "https"));
    }

    [Fact]
    public void WithHttpHealthCheck_WithoutAnEndpoint_Throws()
    {
        var builder = DistributedApplication.CreateBuilder([]);

        Should.Throw<InvalidOperationException>(() => builder.AddProject<SampleProject>("svc", launchProfileName: null).WithHttpHealthCheck("/health"));
    }

    [Fact]
    public void AddResource_WithATakenName_Throws()
    {
        var builder = DistributedApplication.CreateBuilder([]);
        builder.AddRedis("redis");

        Should.Throw<InvalidOperationException>(() => builder.AddPostgres("Redis"));
    }

    private string[] PublishArguments() => ["--publisher", "manifest", "--output-path", Path.Combine(_directory, "manifest.json")];

    private JsonElement Manifest()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_directory, "manifest.json")));
        return document.RootElement.Clone();
    }

    private sealed class SampleProject : IProjectMetadata
    {
        public string ProjectPath => "/nowhere/Sample/Sample.csproj";
    }
}
