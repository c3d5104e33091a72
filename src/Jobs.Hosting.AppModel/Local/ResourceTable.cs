using Aspire.Hosting.ApplicationModel;

namespace Jobs.Hosting.AppModel;

/// <summary>The summary printed once everything is healthy: what runs where.</summary>
internal static class ResourceTable
{
    public static void Print(
        IReadOnlyList<IResource> resources,
        IReadOnlyDictionary<IResource, int> ports,
        IReadOnlyDictionary<ProjectResource, ProjectReplica[]> replicas,
        string dataDirectory)
    {
        var rows = new List<string[]> { new[] { "NAME", "TYPE", "STATE", "HEALTH", "REPLICAS", "URL" } };
        foreach (var resource in resources)
        {
            rows.Add(resource switch
            {
                PostgresServerResource p => (string[])["postgres", "Running", "Healthy", "1", $"tcp://127.0.0.1:{ports[p]}"],
                PostgresDatabaseResource d => ["database", "Running", "Healthy", "-", $"{d.Parent.Name}/{d.DatabaseName}"],
                RedisResource r => ["redis", "Running", "Healthy", "1", $"tcp://127.0.0.1:{ports[r]}"],
                ProjectResource p => ["project", "Running", "Healthy", replicas[p].Length.ToString(), Urls(replicas[p])],
                _ => ["?", "?", "?", "?", ""],
            } is var cells ? [resource.Name, .. cells] : []);
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        Console.Out.WriteLine();
        foreach (var row in rows)
        {
            Console.Out.WriteLine("  " + string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        }

        Console.Out.WriteLine($"  data: {dataDirectory}");
        Console.Out.WriteLine();
    }

    private static string Urls(ProjectReplica[] replicas) =>
        string.Join(" ", replicas.Select(r => r.Url).OfType<string>());
}
