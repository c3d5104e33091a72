using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// One stage of the job type declared by <see cref="JobTypeAttribute"/> on the same handler, as people read it
/// (<see cref="JobStageDisplay"/>). Stages are listed in the order they are declared, which is the order they run.
/// </summary>
/// <param name="name">The stage as the handler reports it (<c>scoring</c>).</param>
/// <param name="sentence">What the job is doing in it: "Scoring and qualifying leads…".</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class JobStageAttribute(string name, string sentence) : Attribute
{
    public string Name { get; } = name;

    public string Sentence { get; } = sentence;

    /// <inheritdoc cref="JobStageDisplay.During"/>
    public string? During { get; set; }

    /// <inheritdoc cref="JobStageDisplay.Items"/>
    public string? Items { get; set; }

    /// <inheritdoc cref="JobStageDisplay.Hint"/>
    public string? Hint { get; set; }

    public JobStageDisplay ToDisplay() => new(Name, Sentence) { During = During, Items = Items, Hint = Hint };
}
