using Aspire.Hosting.ApplicationModel;
using Jobs.Hosting.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

public static class LocalPostgresBuilderExtensions
{
    /// <summary>
    /// Adds PostgreSQL from this machine's binaries, its cluster in <paramref name="dataDirectory"/> (created on the
    /// first start, kept afterwards). Like <c>AddPostgres</c>, it has a health check, so that <c>WaitFor</c> waits until
    /// it accepts connections, not only until its process started.
    /// </summary>
    /// <param name="port">The port it listens on; a free one when null.</param>
    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, [ResourceName] string name, string dataDirectory, int? port = null)
    {
        dataDirectory = Path.GetFullPath(dataDirectory);
        var listenPort = port ?? FreePort.Next();
        var command = PostgresCluster.ServerCommand(dataDirectory, listenPort);
        var postgres = new LocalPostgresResource(name, command, dataDirectory, listenPort);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(postgres, async (@event, ct) =>
        {
            if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            {
                @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(postgres)
                    .LogInformation("Creating a PostgreSQL cluster in {DataDirectory}", dataDirectory);
            }

            await PostgresCluster.InitializeAsync(dataDirectory, LocalPostgresResource.Password, ct);
        });
        // As Aspire's own AddDatabase: the databases are created once the server is ready (its health check passed).
        builder.Eventing.Subscribe<ResourceReadyEvent>(postgres, async (_, ct) =>
        {
            foreach (var database in postgres.Databases.Values)
            {
                await PostgresCluster.CreateDatabaseAsync(postgres.LocalConnectionString("postgres"), database, ct);
            }
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(postgres.LocalConnectionString("postgres"), name: healthCheckKey);

        return builder.AddResource(postgres)
            .WithLoopbackEndpoint(LocalPostgresResource.PrimaryEndpointName, listenPort)
            .WithArgs([.. command.Arguments])
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>Adds a database, created on the server once it is ready; healthy once it accepts connections.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresResource> builder, [ResourceName] string name, string? databaseName = null)
    {
        databaseName ??= name;
        var database = new LocalPostgresDatabaseResource(name, databaseName, builder.Resource);
        builder.Resource.Databases[name] = databaseName;

        // Aspire hands a parent's state down to the children of containers only: this database follows its server
        // itself, running once the server is ready (and has created it), finished when the server stops. Its health
        // check, and so WaitFor(jobsdb), runs only while it is running.
        var eventing = builder.ApplicationBuilder.Eventing;
        eventing.Subscribe<ResourceReadyEvent>(builder.Resource, (@event, _) =>
            @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, state => state with
            {
                State = KnownResourceStates.Running,
                StartTimeStamp = DateTime.UtcNow,
                StopTimeStamp = null,
            }));
        eventing.Subscribe<ResourceStoppedEvent>(builder.Resource, (@event, _) =>
            @event.Services.GetRequiredService<ResourceNotificationService>().PublishUpdateAsync(database, state => state with
            {
                State = KnownResourceStates.Finished,
                StopTimeStamp = DateTime.UtcNow,
            }));

        var healthCheckKey = $"{name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(builder.Resource.LocalConnectionString(databaseName), name: healthCheckKey);
        return builder.ApplicationBuilder.AddResource(database)
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey);
    }
}
