namespace Aspire.Hosting.ApplicationModel;

/// <summary>A database on a <see cref="PostgresServerResource"/>, created when the server is up.</summary>
public class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent) : IResourceWithConnectionString
{
    public string Name { get; } = name;

    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Parent { get; } = parent;
}
