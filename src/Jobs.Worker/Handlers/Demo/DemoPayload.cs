using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Worker.Handlers.Demo;

/// <summary>The payload of a <c>demo</c> job.</summary>
public sealed record DemoPayload(
    [Description("How many items to process.")]
    [Range(0, 100_000)]
    int Items,
    [Description("Time spent on each item, in milliseconds.")]
    [Range(0, 60_000)]
    int DelayMs = 0,
    [Description("How many first attempts fail.")]
    [Range(0, 10)]
    int FailAttempts = 0,
    [Description("Test support: the worker process dies abruptly after this many items, on every attempt (a poison job). Only workers started with Demo__AllowProcessCrash=true do it; others fail the job.")]
    [Range(0, 100_000), FormHidden]
    int? CrashAfterItems = null);
