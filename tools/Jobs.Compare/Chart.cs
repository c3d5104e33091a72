using System.Globalization;
using System.Security;
using System.Text;
using System.Text.Json.Nodes;

namespace Jobs.Compare;

/// <summary>
/// A bar chart of the result file's medians (work-down and single-submit jobs/s per system, and Jobs' work-down with
/// a history and over 20 workspaces), each with a line over the runs' min – max, as a standalone SVG.
/// </summary>
public static class Chart
{
    private const int Width = 760;
    private const int Label = 190;
    private const int Bar = 16;

    private sealed record Figure(double Median, double Min, double Max);

    public static string Svg(JsonObject run)
    {
        var summary = run["summary"];
        var rows = new List<(string Name, Figure? WorkDown, Figure? Submit)>();
        if (summary?["jobs"] is { } jobs)
        {
            rows.Add(("Jobs", Of(jobs["throughput.jobsPerSecond"]), Of(jobs["submit.single_16.jobsPerSecond"])));
            rows.Add(("Jobs, history", Of(jobs["history.jobsPerSecond"]), null));
            rows.Add(($"Jobs, {run["plan"]?["workspaces"]} workspaces", Of(jobs["workspaces.jobsPerSecond"]), null));
        }

        foreach (var (name, peer) in summary?["peers"]?.AsObject() ?? [])
        {
            rows.Add((name, Of(peer?["workDown"]), Of(peer?["submit.jobsPerSecond"])));
        }

        var max = Math.Max(1, rows.SelectMany(r => new[] { r.WorkDown?.Max ?? 0, r.Submit?.Max ?? 0 }).DefaultIfEmpty().Max());
        var height = 60 + rows.Sum(r => (r.Submit is null ? 1 : 2) * Bar + 14);
        var s = new StringBuilder();
        s.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"12\">");
        s.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{height}\" fill=\"white\"/>");
        s.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"20\" font-size=\"14\">jobs/s, medians of {run["runs"]?.AsArray().Count} runs (line: min – max), {run["startedAt"]} ({(run["quick"]?.GetValue<bool>() == true ? "--quick" : "full run")}); longer is better</text>");
        s.Append("<rect x=\"10\" y=\"30\" width=\"12\" height=\"10\" fill=\"#2b6cb0\"/><text x=\"26\" y=\"39\">work-down of the backlog</text>");
        s.Append("<rect x=\"200\" y=\"30\" width=\"12\" height=\"10\" fill=\"#a0aec0\"/><text x=\"216\" y=\"39\">single submit, 16 clients</text>");
        var y = 52;
        foreach (var (name, workDown, submit) in rows)
        {
            var bars = submit is null ? 1 : 2;
            s.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"{y + (bars * Bar / 2) + 4}\">{SecurityElement.Escape(name)}</text>");
            BarAt(s, y, workDown, max, "#2b6cb0");
            if (submit is not null)
            {
                BarAt(s, y + Bar, submit, max, "#a0aec0");
            }

            y += bars * Bar + 14;
        }

        return s.Append("</svg>").ToString();
    }

    private static void BarAt(StringBuilder s, int y, Figure? figure, double max, string color)
    {
        var scale = (Width - Label - 90) / max;
        var value = figure?.Median ?? 0;
        var length = Math.Max(1, value * scale);
        s.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Label}\" y=\"{y}\" width=\"{length:F0}\" height=\"{Bar - 2}\" fill=\"{color}\"/>");
        if (figure is not null && figure.Max > figure.Min)
        {
            s.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Label + figure.Min * scale:F0}\" x2=\"{Label + figure.Max * scale:F0}\" y1=\"{y + (Bar / 2) - 1}\" y2=\"{y + (Bar / 2) - 1}\" stroke=\"black\" stroke-width=\"1.5\"/>");
        }

        var end = Math.Max(length, (figure?.Max ?? 0) * scale);
        s.Append(CultureInfo.InvariantCulture, $"<text x=\"{Label + end + 4:F0}\" y=\"{y + Bar - 4}\">{(figure is null ? "–" : value.ToString("#,0", CultureInfo.InvariantCulture))}</text>");
    }

    private static Figure? Of(JsonNode? stat) =>
        stat?["median"] is { } median ? new Figure(median.GetValue<double>(), stat["min"]!.GetValue<double>(), stat["max"]!.GetValue<double>()) : null;
}
