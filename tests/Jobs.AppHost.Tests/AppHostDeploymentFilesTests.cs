using System.Text.Json;
using System.Text.RegularExpressions;
using Jobs.Messaging;
using Jobs.Testing;
using YamlDotNet.RepresentationModel;

namespace Jobs.AppHost.Tests;

/// <summary>
/// azure.yaml, deploy/docker-compose.yml and the scalers, read as an operator would: against the manifest the
/// real Program.cs publishes (names, images, environment, references) and the queue names the workers use.
/// </summary>
public sealed partial class AppHostDeploymentFilesTests : IAsyncLifetime
{
    private static readonly string[] Projects = ["api", "worker", "web"];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"jobs-deploy-{Guid.NewGuid():N}");
    private readonly string _root = RepositoryRoot();
    private JsonElement _resources;

    public async ValueTask InitializeAsync()
    {
        _resources = (await PublishedManifest.GenerateAsync(_directory)).GetProperty("resources");
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
    public void AzureYaml_PointsAzdAtTheAppHost_OnContainerApps()
    {
        var service = Map(Yaml("azure.yaml")[0], "services").Children.Values.Cast<YamlMappingNode>().Single();
        Scalar(service, "host").ShouldBe("containerapp");
        Scalar(service, "language").ShouldBe("dotnet");
        var project = Path.GetFullPath(Path.Combine(_root, Scalar(service, "project")));
        project.ShouldBe(Path.Combine(_root, "src", "Jobs.AppHost", "Jobs.AppHost.csproj"));
        File.Exists(project).ShouldBeTrue();
    }

    [Fact]
    public void Compose_HasTheManifestsContainersAndProjects_WithTheirImages()
    {
        var services = Map(Compose(), "services");
        services.Children.Keys.Select(k => k.ToString()).Order()
            .ShouldBe(["api", "postgres", "redis", "web", "worker"]);
        foreach (var container in new[] { "postgres", "redis" })
        {
            Scalar(Map(services, container), "image").ShouldBe(_resources.GetProperty(container).GetProperty("image").GetString());
        }

        foreach (var project in Projects)
        {
            _resources.GetProperty(project).GetProperty("type").GetString().ShouldBe("project.v0");
            // The repositories the projects' ContainerRepository properties publish.
            Scalar(Map(services, project), "image").ShouldBe($"jobs-{project}:latest");
        }

        Scalar(Sequence(Map(services, "postgres"), "volumes")[0]).ShouldEndWith(
            ":" + _resources.GetProperty("postgres").GetProperty("volumes")[0].GetProperty("target").GetString());
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("redis")]
    [InlineData("api")]
    [InlineData("worker")]
    [InlineData("web")]
    public void Compose_SetsEveryVariableTheManifestSets_AndNoConnectionItDoesNot(string name)
    {
        var environment = Map(Map(Map(Compose(), "services"), name), "environment");
        var names = environment.Children.Keys.Select(k => k.ToString()).ToHashSet();
        var manifest = _resources.GetProperty(name).GetProperty("env").EnumerateObject().Select(p => p.Name).ToList();
        manifest.ShouldNotBeEmpty();
        manifest.ShouldBeSubsetOf(names);
        names.Where(n => n.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || n.StartsWith("services__", StringComparison.Ordinal))
            .ShouldBeSubsetOf(manifest);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("worker")]
    [InlineData("web")]
    public void Compose_ReferencesResolveToTheComposeServicesTheManifestNames(string name)
    {
        var environment = Map(Map(Map(Compose(), "services"), name), "environment");
        foreach (var variable in _resources.GetProperty(name).GetProperty("env").EnumerateObject())
        {
            var value = Scalar(environment, variable.Name);
            if (ConnectionString().Match(variable.Value.GetString()!) is { Success: true } connection)
            {
                ExpectedAddress(connection.Groups[1].Value).ShouldAllBe(part => value.Contains(part), $"{name} {variable.Name}={value}");
            }
            else if (ServiceUrl().Match(variable.Value.GetString()!) is { Success: true } url)
            {
                var target = url.Groups[1].Value;
                var port = Scalar(Map(Map(Map(Compose(), "services"), target), "environment"), "HTTP_PORTS");
                value.ShouldBe($"http://{target}:{port}");
            }
        }
    }

    [Fact]
    public void Compose_GivesTheApiAndTheWebTheSameForwardingSecret_WhichTheOperatorMustSet()
    {
        var services = Map(Compose(), "services");
        var api = Scalar(Map(Map(services, "api"), "environment"), AppHostManifestTests.ApiForwardingSecret);
        var web = Scalar(Map(Map(services, "web"), "environment"), AppHostManifestTests.WebForwardingSecret);

        api.ShouldBe(web);
        api.ShouldStartWith("${JOBS_FORWARDING_SECRET:?");
    }

    [Fact]
    public void WorkerReplicas_AreProgramCsDefault_InComposeKubernetesAndContainerApps()
    {
        var program = File.ReadAllText(Path.Combine(_root, "src", "Jobs.AppHost", "Program.cs"));
        var replicas = DefaultReplicas().Match(program).Groups[1].Value;
        replicas.ShouldNotBeNullOrEmpty();

        Scalar(Map(Map(Map(Compose(), "services"), "worker"), "deploy"), "replicas").ShouldBe(replicas);
        Scalar(Map(Kubernetes("Deployment"), "spec"), "replicas").ShouldBe(replicas);
        Scalar(Map(Kubernetes("ScaledObject"), "spec"), "minReplicaCount").ShouldBe(replicas);
        Scalar(AcaScale(), "minReplicas").ShouldBe(replicas);
    }

    [Fact]
    public void Keda_ScalesTheWorkerDeployment_OnTheConsumerGroupsLag()
    {
        var deployment = Kubernetes("Deployment");
        var worker = Map(deployment, "metadata");
        Scalar(worker, "name").ShouldBe("worker");
        var container = (YamlMappingNode)Sequence(Map(Map(Map(deployment, "spec"), "template"), "spec"), "containers")[0];
        Scalar(container, "image").ShouldBe("jobs-worker:latest");
        var names = Sequence(container, "env").Cast<YamlMappingNode>().Select(e => Scalar(e, "name")).ToList();
        _resources.GetProperty("worker").GetProperty("env").EnumerateObject().Select(p => p.Name).ShouldBeSubsetOf(names);

        var scaled = Map(Kubernetes("ScaledObject"), "spec");
        Scalar(Map(scaled, "scaleTargetRef"), "name").ShouldBe("worker");
        var trigger = (YamlMappingNode)Sequence(scaled, "triggers").Single();
        Scalar(trigger, "type").ShouldBe("redis-streams");
        ShouldWatchTheWorkersStream(Map(trigger, "metadata"));
        Scalar(Map(trigger, "authenticationRef"), "name").ShouldBe(Scalar(Map(Kubernetes("TriggerAuthentication"), "metadata"), "name"));
    }

    [Fact]
    public void ContainerApps_ScaleRule_IsTheSameScaler()
    {
        var rule = (YamlMappingNode)Sequence(AcaScale(), "rules").Single();
        var custom = Map(rule, "custom");
        Scalar(custom, "type").ShouldBe("redis-streams");
        ShouldWatchTheWorkersStream(Map(custom, "metadata"));
        Scalar((YamlMappingNode)Sequence(custom, "auth").Single(), "triggerParameter").ShouldBe("password");
    }

    private void ShouldWatchTheWorkersStream(YamlMappingNode metadata)
    {
        Scalar(metadata, "stream").ShouldBe(new RedisKeys("").Stream("default"));
        Scalar(metadata, "consumerGroup").ShouldBe(RedisKeys.ConsumerGroup);
        int.Parse(Scalar(metadata, "lagCount")).ShouldBeGreaterThan(0);
        var port = _resources.GetProperty("redis").GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32();
        Scalar(metadata, "address").ShouldBe($"redis:{port}");
    }

    /// <summary>What a compose connection string must contain for a manifest resource: its service's host and port.</summary>
    private string[] ExpectedAddress(string resource)
    {
        var node = _resources.GetProperty(resource);
        if (node.GetProperty("type").GetString() == "value.v0")
        {
            // {server.connectionString};Database=name
            var parts = Regex.Match(node.GetProperty("connectionString").GetString()!, @"^\{([^.]+)\.connectionString\};Database=(\w+)$");
            parts.Success.ShouldBeTrue();
            var server = parts.Groups[1].Value;
            return [$"Host={server};", $"Port={TargetPort(server)};", $"Database={parts.Groups[2].Value}"];
        }

        return [$"{resource}:{TargetPort(resource)}", "password="];
    }

    private int TargetPort(string container) =>
        _resources.GetProperty(container).GetProperty("bindings").GetProperty("tcp").GetProperty("targetPort").GetInt32();

    private YamlMappingNode Compose() => Yaml(Path.Combine("deploy", "docker-compose.yml"))[0];

    private YamlMappingNode Kubernetes(string kind) =>
        Yaml(Path.Combine("deploy", "k8s", "worker-keda.yaml")).Single(d => Scalar(d, "kind") == kind);

    private YamlMappingNode AcaScale() =>
        Map(Map(Map(Yaml(Path.Combine("deploy", "aca", "worker-scale.yaml"))[0], "properties"), "template"), "scale");

    private List<YamlMappingNode> Yaml(string relativePath)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(_root, relativePath));
        stream.Load(reader);
        return stream.Documents.Select(d => (YamlMappingNode)d.RootNode).ToList();
    }

    private static YamlMappingNode Map(YamlMappingNode node, string key) => (YamlMappingNode)node[new YamlScalarNode(key)];

    private static YamlSequenceNode Sequence(YamlMappingNode node, string key) => (YamlSequenceNode)node[new YamlScalarNode(key)];

    private static string Scalar(YamlMappingNode node, string key) => Scalar(node[new YamlScalarNode(key)]);

    private static string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Jobs.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Jobs.sln not found above the test's directory.");
    }

    [GeneratedRegex(@"^\{([A-Za-z0-9_-]+)\.connectionString\}$")]
    private static partial Regex ConnectionString();

    [GeneratedRegex(@"^\{([A-Za-z0-9_-]+)\.bindings\.http\.url\}$")]
    private static partial Regex ServiceUrl();

    [GeneratedRegex(@"JOBS_WORKER_REPLICAS""\) \?\? (\d+)")]
    private static partial Regex DefaultReplicas();
}
