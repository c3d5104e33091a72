namespace Jobs.Soak;

/// <summary>What a soak run measured; <see cref="Violations"/> lists every broken invariant (none is the pass).</summary>
public sealed record SoakFigures(
    int Jobs,
    int Completed,
    int Failed,
    IReadOnlyDictionary<string, int> Faults,
    long ExtraExecutions,
    int DuplicatedOutcomes,
    int SubmitRetries,
    TimeSpan MaxWaitPastDue,
    TimeSpan MaxRecovery,
    TimeSpan WaitBound,
    TimeSpan Elapsed,
    IReadOnlyList<string> Violations)
{
    public int FaultCount => Faults.Values.Sum();

    public override string ToString() =>
        $"""
        jobs {Jobs}: {Completed} completed, {Failed} failed, {Jobs - Completed - Failed} not terminal
        faults injected {FaultCount}: {string.Join(", ", Faults.OrderBy(f => f.Key).Select(f => $"{f.Key} {f.Value}"))}
        duplicate executions (runs no recorded failure asked for) {ExtraExecutions}; outcomes duplicated {DuplicatedOutcomes}
        submissions retried after a fault {SubmitRetries}
        max wait past due {MaxWaitPastDue.TotalSeconds:0.00} s (bound: lease + maintenance interval = {WaitBound.TotalSeconds:0.00} s); max recovery after a worker fault {MaxRecovery.TotalSeconds:0.00} s
        elapsed {Elapsed.TotalSeconds:0} s; invariant violations {Violations.Count}
        """;
}
