namespace Jobs.Compare;

public sealed record Latency(int Jobs, int Clients, double Seconds, double JobsPerSecond, double P50, double P95, double P99)
{
    public static Latency From(IReadOnlyCollection<double> milliseconds, int jobs, int clients, double seconds)
    {
        var sorted = milliseconds.Order().ToArray();
        double At(double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p / 100 * sorted.Length) - 1)];
        return new Latency(jobs, clients, seconds, jobs / seconds, At(50), At(95), At(99));
    }
}
