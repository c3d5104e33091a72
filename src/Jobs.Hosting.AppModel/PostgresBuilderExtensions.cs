using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting;

public static class PostgresBuilderExtensions
{
    /// <param name="port">Host port; null picks a free one.</param>
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this IDistributedApplicationBuilder builder, string name, int? port = null) =>
        builder.AddResource(new PostgresServerResource(name) { Port = port });

    /// <summary>Created (if missing) once the server accepts connections.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> builder, string name)
    {
        var database = new PostgresDatabaseResource(name, name, builder.Resource);
        builder.Resource.Databases.Add(database);
        return builder.ApplicationBuilder.AddResource(database);
    }

    /// <summary>Keeps the data across runs: a named volume under Aspire, <c>.jobs/postgres</c> locally.</summary>
    public static IResourceBuilder<PostgresServerResource> WithDataVolume(this IResourceBuilder<PostgresServerResource> builder)
    {
        builder.Resource.HasDataVolume = true;
        return builder;
    }
}
