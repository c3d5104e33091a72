using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Jobs.Core.Hosting;

/// <summary>The one ActivitySource and Meter named "Jobs" (docs/design.md, "Conventions").</summary>
public static class JobsTelemetry
{
    public const string Name = "Jobs";

    public static ActivitySource ActivitySource { get; } = new(Name);

    public static Meter Meter { get; } = new(Name);
}
