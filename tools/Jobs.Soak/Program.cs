using Jobs.Soak;

// The soak run (docs/design.md, "Delivery invariants"; docs/guarantees.md): the real processes, thousands of demo jobs,
// random faults, invariants checked at the end.
// Usage: dotnet run --project tools/Jobs.Soak -- [--quick] [--jobs N] [--seconds S] [--workers N] [--seed N] [--slack SECONDS]
// Exit code 0 when every invariant held, 1 otherwise.
var options = args.Contains("--quick") ? SoakOptions.Quick : SoakOptions.Default;
for (var i = 0; i + 1 < args.Length; i++)
{
    options = args[i] switch
    {
        "--jobs" => options with { Jobs = int.Parse(args[i + 1]) },
        "--seconds" => options with { Duration = TimeSpan.FromSeconds(int.Parse(args[i + 1])) },
        "--workers" => options with { Workers = int.Parse(args[i + 1]) },
        "--seed" => options with { Seed = int.Parse(args[i + 1]) },
        "--slack" => options with { SchedulingSlack = TimeSpan.FromSeconds(double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture)) },
        _ => options,
    };
}

var figures = await new SoakRun(options, Console.WriteLine).RunAsync();
Console.WriteLine(figures);
foreach (var violation in figures.Violations.Take(50))
{
    Console.WriteLine($"  violation: {violation}");
}

return figures.Violations.Count == 0 ? 0 : 1;
