namespace Jobs.Core.Engine.Dependencies;

/// <summary>
/// What a failed or cancelled dependency does to the job waiting for it (docs/design.md, "Dependencies"), as the API
/// and the <c>jobs.on_dependency_failure</c> column spell it.
/// </summary>
public static class JobDependencyPolicy
{
    /// <summary>The job is cancelled, its error naming the dependency; its own dependents follow by their policy.</summary>
    public const string Cancel = "cancel";

    /// <summary>The dependency counts as done: the job runs once the others have finished.</summary>
    public const string Run = "run";

    /// <summary>The most jobs one job may wait for.</summary>
    public const int MaxDependencies = 50;

    public static bool IsKnown(string policy) => policy is Cancel or Run;
}
