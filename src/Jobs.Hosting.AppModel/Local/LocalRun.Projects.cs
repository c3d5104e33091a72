using Aspire.Hosting.ApplicationModel;
using Jobs.Hosting.Local;

namespace Jobs.Hosting.AppModel;

/// <summary>The projects' side of <see cref="LocalRun"/>: their processes and the configuration they are given.</summary>
internal sealed partial class LocalRun
{
    private async Task StartProjectAsync(ProjectResource project, CancellationToken ct)
    {
        var dll = AppHostMetadata.TargetPath(project.Metadata);
        if (!File.Exists(dll))
        {
            throw new ResourceStartException(project.Name, $"{dll} does not exist; build the AppHost (it builds the projects)", []);
        }

        var dotnet = DotnetHost();
        var workingDirectory = Path.GetDirectoryName(project.Metadata.ProjectPath)!;
        foreach (var replica in _replicas[project])
        {
            replica.Start(dotnet, dll, workingDirectory, ContractEnvironment(project, replica), _log);
            Track(replica.ProcessId!.Value, "TERM", () => { });
            _log.Info($"{replica.Name} started, pid {replica.ProcessId}{(replica.Url is null ? "" : $", {replica.Url}")}");
        }

        await Task.WhenAll(_replicas[project].Select(r => r.WaitUntilHealthyAsync(_startupTimeout, ct)));
        _log.Info($"{project.Name} healthy");
    }

    /// <summary>The configuration contract of DESIGN §2, the same keys Aspire injects.</summary>
    private Dictionary<string, string?> ContractEnvironment(ProjectResource project, ProjectReplica replica)
    {
        var inherited = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT");
        var environment = new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = inherited ?? "Development",
            ["ASPNETCORE_URLS"] = replica.Url,
            // ASPNETCORE_URLS wins over these anyway, but Kestrel warns about the overlap.
            ["HTTP_PORTS"] = null,
            ["HTTPS_PORTS"] = null,
            ["OTEL_SERVICE_NAME"] = project.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={replica.Name}",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"),
            // One line per entry, so the prefixed, interleaved output of several services stays readable.
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        };
        foreach (var reference in project.References)
        {
            switch (reference)
            {
                case PostgresDatabaseResource database:
                    environment[$"ConnectionStrings__{database.Name}"] =
                        $"Host=127.0.0.1;Port={_ports[database.Parent]};Username=postgres;Password={PostgresServerResource.LocalPassword};Database={database.DatabaseName}";
                    break;
                case PostgresServerResource postgres:
                    environment[$"ConnectionStrings__{postgres.Name}"] =
                        $"Host=127.0.0.1;Port={_ports[postgres]};Username=postgres;Password={PostgresServerResource.LocalPassword}";
                    break;
                case RedisResource redis:
                    environment[$"ConnectionStrings__{redis.Name}"] = $"127.0.0.1:{_ports[redis]}";
                    break;
                case ProjectResource service:
                    var urls = _replicas[service].Select(r => r.Url).OfType<string>().ToList();
                    for (var i = 0; i < urls.Count; i++)
                    {
                        environment[$"services__{service.Name}__http__{i}"] = urls[i];
                    }

                    break;
            }
        }

        return environment;
    }

    // The muxer that runs this AppHost when there is one; `dotnet run` starts the native apphost instead.
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        return Executables.Find("dotnet", [.. (root is null ? Array.Empty<string>() : [root]), "/usr/share/dotnet", "/usr/lib/dotnet"]);
    }
}
