using System.Collections.Concurrent;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Storage;
using Npgsql;

namespace Jobs.Worker.Processing;

/// <summary>
/// A transaction for a handler's own writes, fenced by its attempt's lease as the engine's writes are
/// (docs/design.md, "Leases and fencing"): it starts by share-locking the job row while the attempt still holds it, so
/// a stale attempt writes nothing and the lease cannot change hands before the commit. Keep it short: the lock holds
/// back the job's heartbeat until then.
/// </summary>
public sealed class FencedTransaction : IAsyncDisposable
{
    // A worker paused or partitioned inside the transaction would keep the job row share-locked, and the reaper skips
    // locked rows: the job would not be rescued until the worker resumed. The server ends such a session instead; the
    // writes here are a few statements in a row, never a wait (the chaos suite noticed this).
    private const string IdleTimeoutSql = "SET LOCAL idle_in_transaction_session_timeout = '10s'";

    // Jobs with a fenced transaction open in this process, and how many: their progress writes stay out of the group
    // commit (ProgressReporter), where waiting on this row lock would hold every other job's write back.
    private static readonly ConcurrentDictionary<Guid, int> Open = new();

    private readonly NpgsqlConnection connection;
    private readonly NpgsqlTransaction transaction;
    private readonly Guid jobId;

    private FencedTransaction(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid jobId)
    {
        this.connection = connection;
        this.transaction = transaction;
        this.jobId = jobId;
        Open.AddOrUpdate(jobId, 1, (_, count) => count + 1);
    }

    /// <summary>Whether a handler of this job has a fenced transaction (and so a lock on the job's row) open now.</summary>
    public static bool IsOpenFor(Guid jobId) => Open.ContainsKey(jobId);

    /// <returns>The transaction, or null when the attempt no longer holds its lease.</returns>
    public static async Task<FencedTransaction?> BeginAsync(NpgsqlDataSource dataSource, JobLease lease, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var timeout = new NpgsqlCommand(IdleTimeoutSql, connection, transaction))
            {
                await timeout.ExecuteNonQueryAsync(cancellationToken);
            }

            if (!await JobRules.LockHeldJobAsync(connection, transaction, lease, workspaceId: null, cancellationToken))
            {
                await transaction.DisposeAsync();
                await connection.DisposeAsync();
                return null;
            }

            return new FencedTransaction(connection, transaction, lease.JobId);
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync();
            }

            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The exception a handler throws when <see cref="BeginAsync"/> found the lease gone: the attempt ends without an outcome.</summary>
    public static InvalidOperationException LeaseLost(Guid jobId) =>
        new($"Job {jobId}: this attempt lost its lease; the attempt that took over does the work.");

    /// <summary>The connection and transaction, for a store's writes that run inside this fence.</summary>
    public NpgsqlConnection Connection => connection;

    /// <inheritdoc cref="Connection"/>
    public NpgsqlTransaction Transaction => transaction;

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync();
        await connection.DisposeAsync();
        if (Open.AddOrUpdate(jobId, 0, (_, count) => count - 1) <= 0)
        {
            Open.TryRemove(new KeyValuePair<Guid, int>(jobId, 0));
        }
    }
}
