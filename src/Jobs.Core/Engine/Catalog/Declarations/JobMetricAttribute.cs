using Jobs.Contracts.Jobs;

namespace Jobs.Core.Engine.Catalog.Declarations;

/// <summary>
/// One metric of the job type declared by <see cref="JobTypeAttribute"/> on the same handler, with its label
/// (<see cref="JobMetricDisplay"/>). Metrics are shown in the order they are declared.
/// </summary>
/// <param name="name">The metric as the handler reports it (<c>leads_enriched</c>).</param>
/// <param name="label">Its label: "Enriched".</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true, Inherited = false)]
public sealed class JobMetricAttribute(string name, string label) : Attribute
{
    public string Name { get; } = name;

    public string Label { get; } = label;

    /// <inheritdoc cref="JobMetricDisplay.Of"/>
    public string? Of { get; set; }

    public JobMetricDisplay ToDisplay() => new(Name, Label) { Of = Of };
}
