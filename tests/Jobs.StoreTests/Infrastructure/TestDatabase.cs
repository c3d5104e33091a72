using Jobs.Core.Files;
using Jobs.Core.Identity;
using Jobs.Core.Workloads.Campaigns;
using Jobs.Core.Workloads.Contacts;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Jobs.StoreTests.Infrastructure;

/// <summary>
/// One migrated database and the Core stores over it, each the production implementation on a data source of its
/// own, typed as its interface: the contract is what the tests hold them to.
/// </summary>
public sealed class TestDatabase(string connectionString, Func<Task> drop) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = NpgsqlDataSource.Create(connectionString);

    public IJobStore Jobs => new NpgsqlJobStore(DataSource);

    public IClusterStore Cluster => new NpgsqlClusterStore(DataSource);

    public IWorkspaceStore Workspaces => new NpgsqlWorkspaceStore(DataSource);

    public IContactStore Contacts => new NpgsqlContactStore(DataSource);

    public ICampaignStore Campaigns => new NpgsqlCampaignStore(DataSource);

    /// <summary>The file store with <paramref name="defaultQuotaBytes"/> as every workspace's storage quota.</summary>
    public IFileStore Files(long defaultQuotaBytes = StorageOptions.DefaultDefaultQuotaBytes) =>
        new NpgsqlFileStore(DataSource, Options.Create(new StorageOptions { DefaultQuotaBytes = defaultQuotaBytes }));

    /// <summary>A new workspace with one admin and one API key, as the Development seed makes them.</summary>
    public async Task<TestWorkspace> NewWorkspaceAsync(int maxConcurrentJobs = 5)
    {
        var userId = Guid.CreateVersion7();
        var apiKey = ApiKeyHasher.NewKey();
        var caller = await Workspaces.WorkspaceEnsureAsync(
            new WorkspaceSeed(Guid.CreateVersion7(), "store tests", userId, $"{userId:N}@example.com", "Store Test", apiKey, maxConcurrentJobs),
            Ct);
        return new TestWorkspace(this, caller, apiKey);
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await drop();
    }
}
