using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;

namespace Jobs.Hosting.AppModel;

/// <summary>
/// Writes the Aspire manifest (what <c>azd</c> reads to deploy to Azure Container Apps) in the shape Aspire's
/// own publisher gives these resources: containers with generated password parameters, a database as a
/// connection-string value, projects with their environment expressions and bindings.
/// </summary>
internal static class ManifestWriter
{
    public const string Schema = "https://json.schemastore.org/aspire-8.0.json";
    private const string PostgresImage = "docker.io/library/postgres:17.6";
    private const string RedisImage = "docker.io/library/redis:8.2";

    public static string Write(IReadOnlyList<IResource> resources, string? outputPath, string appHostDirectory)
    {
        var path = Path.GetFullPath(outputPath ?? Path.Combine(appHostDirectory, "aspire-manifest.json"));
        var directory = Path.GetDirectoryName(path)!;
        Directory.CreateDirectory(directory);
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });

        json.WriteStartObject();
        json.WriteString("$schema", Schema);
        json.WriteStartObject("resources");
        foreach (var resource in resources)
        {
            json.WriteStartObject(resource.Name);
            switch (resource)
            {
                case PostgresServerResource postgres:
                    WritePostgres(json, postgres, appHostDirectory);
                    break;
                case PostgresDatabaseResource database:
                    json.WriteString("type", "value.v0");
                    json.WriteString("connectionString", $"{{{database.Parent.Name}.connectionString}};Database={database.DatabaseName}");
                    break;
                case RedisResource redis:
                    WriteRedis(json, redis);
                    break;
                case ProjectResource project:
                    WriteProject(json, project, directory);
                    break;
                default:
                    throw new NotSupportedException($"No manifest form for {resource.GetType().Name}.");
            }

            json.WriteEndObject();
        }

        // Aspire adds the generated passwords as parameters after the resources that use them.
        foreach (var resource in resources.Where(r => r is PostgresServerResource or RedisResource))
        {
            WritePasswordParameter(json, resource.Name, special: resource is not RedisResource);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        return path;
    }

    private static void WritePostgres(Utf8JsonWriter json, PostgresServerResource postgres, string appHostDirectory)
    {
        var name = postgres.Name;
        json.WriteString("type", "container.v0");
        json.WriteString("connectionString",
            $"Host={{{name}.bindings.tcp.host}};Port={{{name}.bindings.tcp.port}};Username=postgres;Password={{{name}-password.value}}");
        json.WriteString("image", PostgresImage);
        if (postgres.HasDataVolume)
        {
            json.WriteStartArray("volumes");
            json.WriteStartObject();
            json.WriteString("name", VolumeName(appHostDirectory, name));
            json.WriteString("target", "/var/lib/postgresql/data");
            json.WriteBoolean("readOnly", false);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteStartObject("env");
        json.WriteString("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256");
        json.WriteString("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=scram-sha-256");
        json.WriteString("POSTGRES_USER", "postgres");
        json.WriteString("POSTGRES_PASSWORD", $"{{{name}-password.value}}");
        // The image creates this database on first start, so a fresh deployment has it before the API migrates.
        if (postgres.Databases.FirstOrDefault() is { } database)
        {
            json.WriteString("POSTGRES_DB", database.DatabaseName);
        }

        json.WriteEndObject();
        WriteTcpBinding(json, 5432);
    }

    private static void WriteRedis(Utf8JsonWriter json, RedisResource redis)
    {
        var name = redis.Name;
        json.WriteString("type", "container.v0");
        json.WriteString("connectionString", $"{{{name}.bindings.tcp.host}}:{{{name}.bindings.tcp.port}},password={{{name}-password.value}}");
        json.WriteString("image", RedisImage);
        json.WriteString("entrypoint", "/bin/sh");
        json.WriteStartArray("args");
        json.WriteStringValue("-c");
        json.WriteStringValue("redis-server --requirepass $REDIS_PASSWORD");
        json.WriteEndArray();
        json.WriteStartObject("env");
        json.WriteString("REDIS_PASSWORD", $"{{{name}-password.value}}");
        json.WriteEndObject();
        WriteTcpBinding(json, 6379);
    }

    private static void WriteProject(Utf8JsonWriter json, ProjectResource project, string manifestDirectory)
    {
        var name = project.Name;
        json.WriteString("type", "project.v0");
        // Relative to the manifest, with forward slashes, as Aspire writes it.
        json.WriteString("path", Path.GetRelativePath(manifestDirectory, project.Metadata.ProjectPath).Replace('\\', '/'));
        // No "replicas": Aspire's schema closes project.v0 (additionalProperties: false) and Aspire's own publisher
        // leaves WithReplicas out of the manifest too; deploy/ carries the count (compose deploy.replicas, the
        // scalers' minimum), and AppHostDeploymentFilesTests holds them to Program.cs.
        json.WriteStartObject("env");
        json.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", "true");
        json.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", "true");
        json.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory");
        if (project.HasHttpEndpoint)
        {
            json.WriteString("ASPNETCORE_FORWARDEDHEADERS_ENABLED", "true");
            json.WriteString("HTTP_PORTS", $"{{{name}.bindings.http.targetPort}}");
        }

        foreach (var reference in project.References)
        {
            if (reference is ProjectResource service)
            {
                json.WriteString($"services__{service.Name}__http__0", $"{{{service.Name}.bindings.http.url}}");
            }
            else
            {
                json.WriteString($"ConnectionStrings__{reference.Name}", $"{{{reference.Name}.connectionString}}");
            }
        }

        json.WriteEndObject();
        if (project.HasHttpEndpoint)
        {
            json.WriteStartObject("bindings");
            json.WriteStartObject("http");
            json.WriteString("scheme", "http");
            json.WriteString("protocol", "tcp");
            json.WriteString("transport", "http");
            if (project.HttpPort is { } port)
            {
                json.WriteNumber("port", port);
            }

            if (project.IsExternal)
            {
                json.WriteBoolean("external", true);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }
    }

    private static void WriteTcpBinding(Utf8JsonWriter json, int targetPort)
    {
        json.WriteStartObject("bindings");
        json.WriteStartObject("tcp");
        json.WriteString("scheme", "tcp");
        json.WriteString("protocol", "tcp");
        json.WriteString("transport", "tcp");
        json.WriteNumber("targetPort", targetPort);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WritePasswordParameter(Utf8JsonWriter json, string resourceName, bool special)
    {
        var name = $"{resourceName}-password";
        json.WriteStartObject(name);
        json.WriteString("type", "parameter.v0");
        json.WriteString("value", $"{{{name}.inputs.value}}");
        json.WriteStartObject("inputs");
        json.WriteStartObject("value");
        json.WriteString("type", "string");
        json.WriteBoolean("secret", true);
        json.WriteStartObject("default");
        json.WriteStartObject("generate");
        json.WriteNumber("minLength", 22);
        // Redis' password travels inside a shell command line, where special characters would need quoting.
        if (!special)
        {
            json.WriteBoolean("special", false);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>Aspire's scheme: application name, a hash of the AppHost's path, resource, "data".</summary>
    private static string VolumeName(string appHostDirectory, string resourceName)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(appHostDirectory)))[..10];
        var application = Path.GetFileName(appHostDirectory.TrimEnd('/')).ToLowerInvariant();
        return $"{application}-{hash}-{resourceName}-data";
    }
}
