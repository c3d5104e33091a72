namespace Jobs.Hosting.Local;

/// <param name="DataDirectory">Redis' working directory (dump and append-only files when persisting).</param>
/// <param name="Port">0 picks a free port.</param>
/// <param name="Persist">Snapshot and append-only file on; off, Redis keeps nothing across restarts.</param>
/// <param name="DeleteDataOnDispose">For throwaway test servers.</param>
public sealed record RedisServerOptions(
    string DataDirectory,
    int Port = 0,
    bool Persist = false,
    bool DeleteDataOnDispose = false)
{
    /// <summary>Receives each line the server writes.</summary>
    public Action<string>? Output { get; init; }
}
