namespace Jobs.Hosting.AppModel;

/// <summary>One line per write, prefixed with its source (<c>[api]</c>, <c>[worker-1]</c>), coloured on a terminal.</summary>
internal sealed class ConsoleLog
{
    public const string AppHost = "apphost";
    private static readonly int[] Colors = [36, 32, 33, 35, 34, 96, 92, 93, 95, 94];
    private readonly bool _color = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    public void Write(string source, string line)
    {
        var prefix = _color ? $"\u001b[{Color(source)}m[{source}]\u001b[0m" : $"[{source}]";
        Console.Out.WriteLine($"{prefix} {line}");
    }

    public void Info(string message) => Write(AppHost, message);

    // Replicas share their resource's colour, so "worker-0" and "worker-1" read as one service.
    private static int Color(string source)
    {
        if (source == AppHost)
        {
            return 1;
        }

        var name = source.Split('-')[0];
        var hash = 0;
        foreach (var c in name)
        {
            hash = (hash * 31) + c;
        }

        return Colors[Math.Abs(hash % Colors.Length)];
    }
}
