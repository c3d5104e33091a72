using Jobs.Core.Hosting;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Jobs.IntegrationTests;

/// <summary>The services' connections prepare repeated statements and keep them across pooled uses.</summary>
public sealed class DataSourceSettingsTests(Servers servers)
{
    [Fact]
    public async Task TheApisDataSource_PreparesARepeatedStatement_AndKeepsItWhenTheConnectionGoesBackToThePool()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var dataSource = cluster.Api.Services.GetRequiredService<NpgsqlDataSource>();
        dataSource.ConnectionString.ShouldContain("Max Auto Prepare=64");
        dataSource.ConnectionString.ShouldContain("No Reset On Close=True");

        // The same settings on a pool of one connection, so that every use below is that connection.
        var builder = new NpgsqlDataSourceBuilder(cluster.DatabaseConnectionString + ";Maximum Pool Size=1");
        NpgsqlClientSettings.DataSource(builder);
        await using var single = builder.Build();
        for (var use = 0; use < 3; use++)
        {
            await using var connection = await single.OpenConnectionAsync();
            await using var command = new NpgsqlCommand("SELECT 40 + 2", connection);
            (await command.ExecuteScalarAsync()).ShouldBe(42);
        }

        // Prepared on its second use, and no reset discarded it when the connection went back to the pool.
        await using var again = await single.OpenConnectionAsync();
        await using var prepared = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement = 'SELECT 40 + 2'", again);
        (await prepared.ExecuteScalarAsync()).ShouldBe(1L);
    }
}
