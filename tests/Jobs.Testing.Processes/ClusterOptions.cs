namespace Jobs.Testing.Processes;

/// <summary>
/// Timings of a <see cref="ProcessCluster"/>: leases, heartbeats and maintenance shortened so that crashes, expiries
/// and take-overs play out in seconds rather than minutes.
/// </summary>
public sealed record ClusterOptions
{
    public const string Development = "Development";
    public const string Production = "Production";

    public int Workers { get; init; } = 2;

    public int Slots { get; init; } = 16;

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan StaleHintAfter { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan DeadWorkerAfter { get; init; } = TimeSpan.FromSeconds(4);

    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The workspace's limit of jobs processing at once; high, so that waits measure recovery, not the limit.</summary>
    public int MaxConcurrentJobs { get; init; } = 200;

    /// <summary>
    /// ASPNETCORE_ENVIRONMENT and DOTNET_ENVIRONMENT of the API and the workers. Development (the chaos suite's) seeds
    /// the demo and acme workspaces and their keys itself; any other environment seeds nothing, as a deployment, so
    /// the cluster makes both workspaces (<see cref="ProcessCluster.WorkspaceCreateAsync"/>) once the API is up.
    /// </summary>
    public string EnvironmentName { get; init; } = Development;

    public bool IsDevelopment => EnvironmentName == Development;

    /// <summary>Restart a worker that exited without being stopped on purpose, as a process manager would.</summary>
    public bool SuperviseWorkers { get; init; }

    /// <summary>Extra PostgreSQL settings (<c>name=value</c>), passed to <see cref="Jobs.Hosting.Local.PostgresServerOptions.Settings"/>.</summary>
    public IReadOnlyList<string> PostgresSettings { get; init; } = [];

    /// <summary>
    /// When set, the cluster's own queries (<see cref="ProcessCluster.ScalarAsync{T}"/>, waiting for workers to register)
    /// run as this superuser instead of the services' user, so per-user statistics (pg_stat_statements) tell them apart.
    /// </summary>
    public string? HarnessDatabaseUser { get; init; }

    /// <summary>Receives the cluster's own narration (what was started, killed, restarted).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>How long after a crash its job is running again at most: the lease runs out, the next tick rescues it.</summary>
    public TimeSpan RecoveryBound => (LeaseDuration > LeaderTtl ? LeaseDuration : LeaderTtl) + MaintenanceInterval;

    /// <summary>MaintenanceService's leader term: five ticks, never under five seconds; a dead leader is replaced after it.</summary>
    public TimeSpan LeaderTtl => MaintenanceInterval * 5 > TimeSpan.FromSeconds(5) ? MaintenanceInterval * 5 : TimeSpan.FromSeconds(5);
}
