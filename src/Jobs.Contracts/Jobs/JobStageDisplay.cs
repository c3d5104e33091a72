using System.Text.Json.Serialization;

namespace Jobs.Contracts.Jobs;

/// <summary>One stage of a job type as people read it.</summary>
/// <param name="Name">The stage as the handler reports it (<c>scoring</c>): the key, never shown.</param>
/// <param name="Sentence">What the job is doing in it: "Scoring and qualifying leads…".</param>
public sealed record JobStageDisplay(string Name, string Sentence)
{
    /// <summary>
    /// The stage in "Failed during …": "scoring", "the analysis". Null reads the name in words (<c>waiting_for_model</c>
    /// → "waiting for model").
    /// </summary>
    public string? During { get; init; }

    /// <summary>What processed and total items count in this stage ("leads"), when it differs from the type's.</summary>
    public string? Items { get; init; }

    /// <summary>
    /// Why the stage may last, for a stage without items to count (one long call): shown once it has lasted a while,
    /// as in "Still analyzing the diagram… 45 s (a complex diagram takes longer)".
    /// </summary>
    public string? Hint { get; init; }

    /// <summary>The stage's words for "Failed during …".</summary>
    [JsonIgnore]
    public string DuringText => During ?? Name.Replace('_', ' ').Replace('-', ' ');
}
