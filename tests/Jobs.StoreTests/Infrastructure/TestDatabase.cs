using Jobs.Core.Engine.Dependencies;
using Jobs.Core.Engine.Pauses;
using Jobs.Core.Engine.Schedules;
using Jobs.Core.Engine.Templates;
using Jobs.Core.Files;
using Jobs.Core.Identity;
using Jobs.Core.Webhooks;
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

    public IScheduleStore Schedules => new NpgsqlScheduleStore(DataSource);

    public IJobTemplateStore Templates => new NpgsqlJobTemplateStore(DataSource);
    public IJobDependencyStore Dependencies => new NpgsqlJobDependencyStore(DataSource);

    public IPauseStore Pauses => new NpgsqlPauseStore(DataSource);

    public IWorkspaceStore Workspaces => new NpgsqlWorkspaceStore(DataSource);

    public IWebhookStore Webhooks => new NpgsqlWebhookStore(DataSource);

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

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction of its own and commits it: the caller's transaction that the
    /// workload stores write in (a handler's fenced transaction, in the worker).
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> write)
    {
        await using var connection = await DataSource.OpenConnectionAsync(Ct);
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        var result = await write(connection, transaction);
        await transaction.CommitAsync(Ct);
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await drop();
    }
}
