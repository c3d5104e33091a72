using Jobs.Bench;

// Measures the engine from outside, as its clients see it, against a running system (./run.sh).
// Usage: dotnet run -c Release --project tools/Jobs.Bench -- [command] [--option value ...]
//   submit (default)  submit latency and end-to-end throughput                       SubmitCommand.cs
//   subscribers       SSE and SignalR subscribers held by one API instance, its memory SubscribersCommand.cs
//   dom-latency       a worker's publish until it is in the browser's DOM             DomLatencyCommand.cs
// Every command's options and defaults are at the top of its file.
var command = args is [var first, ..] && !first.StartsWith("--", StringComparison.Ordinal) ? first : "submit";

// Ctrl-C stops a run cleanly: connections closed, the long jobs it started cancelled.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

try
{
    var options = new BenchArguments(command == args.FirstOrDefault() ? args[1..] : args);
    return command switch
    {
        "submit" => await SubmitCommand.RunAsync(options, stop.Token),
        "subscribers" => await SubscribersCommand.RunAsync(options, stop.Token),
        "dom-latency" => await DomLatencyCommand.RunAsync(options, stop.Token),
        _ => throw new BenchArgumentException($"Unknown command '{command}': use submit, subscribers or dom-latency."),
    };
}
catch (BenchArgumentException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("Stopped.");
    return 130;
}
