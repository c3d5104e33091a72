namespace Jobs.Contracts.Jobs;

/// <summary>
/// How people see a job type, as the catalog publishes it with the type: its title ("Lead discovery"), what its
/// processed and total items count ("contacts"), a sentence for each of its stages, and its metrics in the order people
/// read them. The UI shows these instead of the machine names, which stay the contract for API clients.
/// </summary>
/// <param name="Title">The type's name for people: "Lead discovery", "Sequence subscription".</param>
/// <param name="Stages">Its stages in the order they run.</param>
public sealed record JobTypeDisplay(string Title, IReadOnlyList<JobStageDisplay> Stages)
{
    /// <summary>What processed and total items count ("contacts", "rows"), unless a stage says otherwise.</summary>
    public string? Items { get; init; }

    /// <summary>The metrics to show first, in this order, with their labels; any other metric follows under its name.</summary>
    public IReadOnlyList<JobMetricDisplay> Metrics { get; init; } = [];

    /// <summary>The stage named <paramref name="name"/>, or null for a stage the type does not describe.</summary>
    public JobStageDisplay? Stage(string? name) => name is null ? null : Stages.FirstOrDefault(s => s.Name == name);
}
