using System.Text.Json;
using Jobs.Contracts.Workspaces;

namespace Jobs.StoreTests.Infrastructure;

/// <summary>The writes of an attempt as a worker makes them, with the values a test does not care about filled in.</summary>
public static class AttemptWrites
{
    public static readonly JsonElement NoMetrics = JsonDocument.Parse("{}").RootElement;

    public static JobSetProgressParams Progress(JobLease lease, short progress = 50, string? stage = null, string? message = null) =>
        new(lease, progress, stage, ProcessedItems: progress, TotalItems: 100, NoMetrics, message, StageChanged: stage is not null);

    /// <summary>A completion; with <paramref name="workspaceId"/> the same commit hints the slot it frees.</summary>
    public static JobCompletion Completion(JobLease lease, Guid? workspaceId = null, string? stage = null, string result = """{"ok":true}""") =>
        new(Progress(lease, 100, stage, stage is null ? null : "finishing"), JsonDocument.Parse(result).RootElement, workspaceId);

    /// <summary>One group commit of completions, hinting the freed slots as a worker's does.</summary>
    public static JobWriteManyParams Complete(params JobCompletion[] completions) =>
        new([], completions, HintLimit: WorkspaceLimits.MaxHintsPerWorkspace);
}
