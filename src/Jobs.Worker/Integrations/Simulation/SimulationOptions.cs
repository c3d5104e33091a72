using System.ComponentModel.DataAnnotations;

namespace Jobs.Worker.Integrations.Simulation;

/// <summary>
/// Section <c>Integrations:Simulation</c>: how long each simulated call takes, about what the real services take, so
/// that a simulated job shows its stages and progress as a real one would. Each call varies by ±25 % around its
/// value, the same way for the same input. Tests set them to a few milliseconds.
/// </summary>
public sealed class SimulationOptions
{
    public const string Section = "Integrations:Simulation";

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan TextSearchLatency { get; set; } = TimeSpan.FromMilliseconds(400);

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DetailsLatency { get; set; } = TimeSpan.FromMilliseconds(80);

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan EmailFinderLatency { get; set; } = TimeSpan.FromMilliseconds(250);

    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan EmailVerifierLatency { get; set; } = TimeSpan.FromMilliseconds(300);

    /// <summary>A chat completion: models take seconds to minutes; a few seconds shows the waiting without wasting time.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ChatLatency { get; set; } = TimeSpan.FromSeconds(4);
}
