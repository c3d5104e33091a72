using System.Text.Json;
using Jobs.Core.Engine;
using Npgsql;

namespace Jobs.Core.Engine.Storage;

/// <summary>The explicit column list of <c>jobs</c> and the one place that reads it into a <see cref="Job"/>.</summary>
internal static class JobRows
{
    private static readonly string[] Columns =
    [
        "id", "workspace_id", "user_id", "type", "queue", "priority", "status", "payload", "result", "progress",
        "stage", "processed_items", "total_items", "metrics", "error", "attempt", "max_attempts", "run_at",
        "timeout_seconds", "cancel_requested_at", "lease_owner", "lease_expires_at", "idempotency_key", "version",
        "created_at", "started_at", "completed_at", "updated_at", "schedule_id",
    ];

    /// <summary>How many columns <see cref="Select"/> reads: a column after them is at this ordinal.</summary>
    public static int Count => Columns.Length;

    /// <summary>The columns, qualified by a table alias so they stay unambiguous in <c>UPDATE … FROM</c>.</summary>
    public static string Select(string alias) => string.Join(", ", Columns.Select(c => $"{alias}.{c}"));

    /// <summary>The columns of a CTE that returned <see cref="Select"/>.</summary>
    public static string Plain { get; } = string.Join(", ", Columns);

    public static Job Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetGuid(0),
        WorkspaceId = r.GetGuid(1),
        UserId = r.GetGuid(2),
        Type = r.GetString(3),
        Queue = r.GetString(4),
        Priority = r.GetInt16(5),
        Status = r.GetString(6),
        Payload = r.GetFieldValue<JsonElement>(7),
        Result = r.IsDBNull(8) ? null : r.GetFieldValue<JsonElement>(8),
        Progress = r.GetInt16(9),
        Stage = r.IsDBNull(10) ? null : r.GetString(10),
        ProcessedItems = r.IsDBNull(11) ? null : r.GetInt64(11),
        TotalItems = r.IsDBNull(12) ? null : r.GetInt64(12),
        Metrics = r.GetFieldValue<JsonElement>(13),
        Error = r.IsDBNull(14) ? null : r.GetString(14),
        Attempt = r.GetInt32(15),
        MaxAttempts = r.GetInt32(16),
        RunAt = r.GetFieldValue<DateTimeOffset>(17),
        TimeoutSeconds = r.GetInt32(18),
        CancelRequestedAt = r.IsDBNull(19) ? null : r.GetFieldValue<DateTimeOffset>(19),
        LeaseOwner = r.IsDBNull(20) ? null : r.GetString(20),
        LeaseExpiresAt = r.IsDBNull(21) ? null : r.GetFieldValue<DateTimeOffset>(21),
        IdempotencyKey = r.IsDBNull(22) ? null : r.GetString(22),
        Version = r.GetInt64(23),
        CreatedAt = r.GetFieldValue<DateTimeOffset>(24),
        StartedAt = r.IsDBNull(25) ? null : r.GetFieldValue<DateTimeOffset>(25),
        CompletedAt = r.IsDBNull(26) ? null : r.GetFieldValue<DateTimeOffset>(26),
        UpdatedAt = r.GetFieldValue<DateTimeOffset>(27),
        ScheduleId = r.IsDBNull(28) ? null : r.GetGuid(28),
    };

    public static async Task<List<Job>> ReadAllAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ReadAllAsync(reader, cancellationToken);
    }

    /// <summary>The rows of the reader's current result (one command of a batch).</summary>
    public static async Task<List<Job>> ReadAllAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var jobs = new List<Job>();
        while (await reader.ReadAsync(cancellationToken))
        {
            jobs.Add(Read(reader));
        }

        return jobs;
    }

    public static async Task<Job?> ReadSingleAsync(NpgsqlCommand command, CancellationToken cancellationToken) =>
        (await ReadAllAsync(command, cancellationToken)).SingleOrDefault();
}
