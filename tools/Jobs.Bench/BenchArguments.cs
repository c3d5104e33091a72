using System.Globalization;

namespace Jobs.Bench;

/// <summary>
/// A command's <c>--name value</c> options. Each command reads the ones it knows, then calls
/// <see cref="ThrowIfUnused"/>, so that a misspelt option fails the run instead of being silently ignored.
/// </summary>
internal sealed class BenchArguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public BenchArguments(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new BenchArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            _values[args[i]] = args[++i];
        }
    }

    public string String(string name, string fallback)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var value) ? value : fallback;
    }

    public string? OptionalString(string name)
    {
        _read.Add(name);
        return _values.GetValueOrDefault(name);
    }

    public int Int(string name, int fallback, int min = 0) =>
        Parse(name, fallback, text => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min ? v : null);

    public double Double(string name, double fallback, double min = 0) =>
        Parse(name, fallback, text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min ? v : null);

    public TimeSpan Seconds(string name, double fallback) => TimeSpan.FromSeconds(Double(name, fallback));

    /// <summary>The API key: <c>--key</c>, else <c>JOBS_DEV_API_KEY</c> as the AppHost seeds it, else the seed's default.</summary>
    public string ApiKey() => String("--key", Environment.GetEnvironmentVariable("JOBS_DEV_API_KEY") is { Length: > 0 } key ? key : "jobs-dev-key");

    public void ThrowIfUnused()
    {
        var unknown = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            throw new BenchArgumentException($"Unknown option(s) {string.Join(", ", unknown)}; known here: {string.Join(" ", _read.Order())}.");
        }
    }

    private T Parse<T>(string name, T fallback, Func<string, T?> parse)
        where T : struct
    {
        _read.Add(name);
        if (!_values.TryGetValue(name, out var text))
        {
            return fallback;
        }

        return parse(text) ?? throw new BenchArgumentException($"{name} '{text}' is not a valid value.");
    }
}
