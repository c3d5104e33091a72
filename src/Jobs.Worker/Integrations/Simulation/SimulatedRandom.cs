using System.Text;

namespace Jobs.Worker.Integrations.Simulation;

/// <summary>
/// The simulation's source of "randomness": SplitMix64 seeded by a stable hash of the input, so the same input gives
/// the same output on every machine, process and .NET version (neither <see cref="Random"/> with a seed nor
/// <see cref="string.GetHashCode()"/> promises that).
/// </summary>
internal sealed class SimulatedRandom(ulong seed)
{
    private ulong state = seed;

    /// <summary>Seeds from text, case- and surrounding-space-insensitively: "Plumbers " and "plumbers" are one search.</summary>
    public static SimulatedRandom For(params string[] parts) => new(Hash(parts));

    /// <summary>FNV-1a (64-bit) over the normalised parts, separated by a unit separator.</summary>
    public static ulong Hash(params string[] parts)
    {
        var hash = 14695981039346656037UL;
        foreach (var part in parts)
        {
            foreach (var b in Encoding.UTF8.GetBytes(part.Trim().ToLowerInvariant()))
            {
                hash = (hash ^ b) * 1099511628211UL;
            }

            hash = (hash ^ 0x1F) * 1099511628211UL;
        }

        return hash;
    }

    public ulong NextUInt64()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>In [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>In [min, maxExclusive).</summary>
    public int Next(int min, int maxExclusive) => min + (int)(NextUInt64() % (ulong)(maxExclusive - min));

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(0, items.Count)];

    /// <summary>A latency around <paramref name="typical"/>, ±25 %.</summary>
    public TimeSpan Latency(TimeSpan typical) => typical * (0.75 + NextDouble() * 0.5);
}
