namespace Jobs.Hosting.Local;

/// <param name="DataDirectory">Initialised with initdb when it holds no cluster yet.</param>
/// <param name="Port">0 picks a free port.</param>
/// <param name="Password">The <c>postgres</c> user's password, set when the cluster is initialised.</param>
/// <param name="DeleteDataOnDispose">For throwaway test clusters.</param>
public sealed record PostgresServerOptions(
    string DataDirectory,
    int Port = 0,
    string Password = "postgres",
    bool DeleteDataOnDispose = false)
{
    /// <summary>Receives each line the server writes (its log goes to stderr).</summary>
    public Action<string>? Output { get; init; }

    /// <summary>
    /// Extra server settings as <c>name=value</c>, each passed as <c>-c</c> after the fixed ones (so one may override
    /// them); none by default. The benchmark loads pg_stat_statements this way.
    /// </summary>
    public IReadOnlyList<string> Settings { get; init; } = [];
}
