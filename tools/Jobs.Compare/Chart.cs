using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobs.Compare;

/// <summary>A bar chart of the result file (work-down and single-enqueue jobs/s per system) as a standalone SVG.</summary>
public static class Chart
{
    private const int Width = 760;
    private const int Label = 150;
    private const int Bar = 16;

    public static string Svg(JsonObject run)
    {
        var rows = new List<(string Name, double WorkDown, double Enqueue)>();
        if (run["jobs"] is { } jobs)
        {
            rows.Add(("Jobs", Value(jobs["throughput"]?["jobsPerSecond"]), Value(jobs["submit"]?["single_16"]?["jobsPerSecond"])));
        }

        foreach (var (name, peer) in run["peers"]?.AsObject() ?? [])
        {
            rows.Add((name, Value(peer?["throughput"]?["jobsPerSecond"]), Value(peer?["submit"]?["jobsPerSecond"])));
        }

        var max = Math.Max(1, rows.Max(r => Math.Max(r.WorkDown, r.Enqueue)));
        var height = 60 + rows.Count * (2 * Bar + 14);
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        s.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>");
        s.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"20\" font-size=\"14\">jobs/s, same machine and servers, {run["startedAt"]} ({(run["quick"]?.GetValue<bool>() == true ? "--quick" : "full run")}); longer is better</text>");
        s.Append("<rect x=\"10\" y=\"30\" width=\"12\" height=\"10\" fill=\"#2b6cb0\"/><text x=\"26\" y=\"39\">work-down of the backlog</text>");
        s.Append("<rect x=\"200\" y=\"30\" width=\"12\" height=\"10\" fill=\"#a0aec0\"/><text x=\"216\" y=\"39\">single enqueue, 16 clients</text>");
        var y = 52;
        foreach (var (name, workDown, enqueue) in rows)
        {
            s.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{y + Bar + 4}\">{SecurityElement.Escape(name)}</text>");
            BarAt(s, y, workDown, max, "#2b6cb0");
            BarAt(s, y + Bar, enqueue, max, "#a0aec0");
            y += 2 * Bar + 14;
        }

        return s.Append("</svg>").ToString();
    }

    private static void BarAt(StringBuilder s, int y, double value, double max, string color)
    {
        var length = Math.Max(1, value / max * (Width - Label - 80));
        s.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Label}\" y=\"{y}\" width=\"{length:F0}\" height=\"{Bar - 2}\" fill=\"{color}\"/>");
        s.Append(CultureInfo.InvariantCulture, $"<text x=\"{Label + length + 4:F0}\" y=\"{y + Bar - 4}\">{value:#,0}</text>");
    }

    private static double Value(JsonNode? node) => node?.GetValue<double>() ?? 0;
}
