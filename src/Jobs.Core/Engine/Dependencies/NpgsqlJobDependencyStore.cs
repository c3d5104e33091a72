using Jobs.Core.Database;
using Npgsql;

namespace Jobs.Core.Engine.Dependencies;

/// <summary>The one <see cref="IJobDependencyStore"/> implementation.</summary>
public sealed class NpgsqlJobDependencyStore(NpgsqlDataSource dataSource) : IJobDependencyStore
{
    private const string ExistingSql = """
        SELECT j.id
        FROM jobs j
        WHERE j.id = ANY(@ids)
          AND j.workspace_id = @workspace_id
        """;

    // The job's own row first (its counter and policy), then what it waits for.
    private const string GetSql = """
        SELECT j.waiting_for, j.on_dependency_failure
        FROM jobs j
        WHERE j.workspace_id = @workspace_id
          AND j.id = @id;
        SELECT p.id, p.type, p.status
        FROM job_dependencies d
        JOIN jobs p ON p.id = d.depends_on_id
        WHERE d.job_id = @id
        ORDER BY p.id
        """;

    private const string DependentsSql = """
        SELECT EXISTS (SELECT 1 FROM jobs j WHERE j.workspace_id = @workspace_id AND j.id = @id);
        SELECT c.id, c.type, c.status
        FROM job_dependencies d
        JOIN jobs c ON c.id = d.job_id
        WHERE d.depends_on_id = @id
          AND c.workspace_id = @workspace_id
          AND (@cursor::uuid IS NULL OR d.job_id > @cursor)
        ORDER BY d.job_id
        LIMIT @limit
        """;

    public async Task<IReadOnlySet<Guid>> JobDependencyExistingAsync(Guid workspaceId, IReadOnlyList<Guid> jobIds, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ExistingSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("ids", jobIds.ToArray());
        var found = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(reader.GetGuid(0));
        }

        return found;
    }

    public async Task<JobDependencies?> JobDependencyGetAsync(Guid workspaceId, Guid jobId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(GetSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", jobId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var waitingFor = reader.GetInt32(0);
        var policy = reader.GetString(1);
        await reader.NextResultAsync(cancellationToken);
        return new JobDependencies(await ReadLinksAsync(reader, cancellationToken), waitingFor, policy);
    }

    public async Task<JobDependentPage?> JobDependentListAsync(Guid workspaceId, Guid jobId, int limit, Guid? cursor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(DependentsSql);
        command.Parameters.AddWithValue("workspace_id", workspaceId);
        command.Parameters.AddWithValue("id", jobId);
        command.Parameters.Add(new NpgsqlParameter("cursor", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)cursor ?? DBNull.Value });
        command.Parameters.AddWithValue("limit", Keyset.RowsFor(limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.GetBoolean(0))
        {
            return null;
        }

        await reader.NextResultAsync(cancellationToken);
        var (items, next) = Keyset.Page(await ReadLinksAsync(reader, cancellationToken), limit, l => l.Id);
        return new JobDependentPage(items, next);
    }

    private static async Task<List<JobDependencyLink>> ReadLinksAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var links = new List<JobDependencyLink>();
        while (await reader.ReadAsync(cancellationToken))
        {
            links.Add(new JobDependencyLink(reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
        }

        return links;
    }
}
