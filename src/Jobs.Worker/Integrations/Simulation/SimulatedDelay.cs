namespace Jobs.Worker.Integrations.Simulation;

/// <summary>Waits as a real call would, honouring cancellation even when the configured latency is zero.</summary>
internal static class SimulatedDelay
{
    public static async Task WaitAsync(TimeSpan latency, TimeProvider time, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (latency > TimeSpan.Zero)
        {
            await Task.Delay(latency, time, cancellationToken);
        }
    }
}
