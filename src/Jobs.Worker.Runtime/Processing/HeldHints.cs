using Jobs.Core.Engine.Queue;

namespace Jobs.Worker.Processing;

/// <summary>
/// Hints whose job another transaction held at the claim (<see cref="Jobs.Core.Engine.Storage.JobClaimResult.Busy"/>): their stream
/// entries stay unacknowledged and the fetch loop claims them again shortly instead of dropping them. A hint held for
/// longer than <see cref="RetryFor"/> is given up: its entry is dropped, and maintenance re-hints the job once the hint
/// is stale. For the fetch loop only (not thread-safe).
/// </summary>
internal sealed class HeldHints(TimeProvider time, ILogger logger)
{
    /// <summary>How long to let the holding transaction commit when only held hints are to be claimed.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(5);

    private static readonly TimeSpan RetryFor = TimeSpan.FromSeconds(2);

    private readonly List<(StreamHint Hint, DateTimeOffset Since)> waiting = [];
    private readonly List<(StreamHint Hint, DateTimeOffset Since)> taken = [];

    /// <summary>Up to <paramref name="max"/> held hints to claim again, the longest held first.</summary>
    public List<StreamHint> Take(int max)
    {
        taken.AddRange(waiting.Take(max));
        waiting.RemoveRange(0, taken.Count);
        return [.. taken.Select(t => t.Hint)];
    }

    /// <summary>Puts back what <see cref="Take"/> handed out, when no claim was made.</summary>
    public void Return()
    {
        waiting.InsertRange(0, taken);
        taken.Clear();
    }

    /// <summary>
    /// After a claim of <paramref name="hints"/>: keeps the hints of the jobs it found held (<paramref name="busy"/>)
    /// unless held too long, and returns the ids of the jobs whose entries are kept (not to be acknowledged).
    /// </summary>
    public HashSet<Guid> Keep(IReadOnlyList<StreamHint> hints, IReadOnlyList<Guid> busy)
    {
        var now = time.GetUtcNow();
        var since = taken.ToDictionary(t => t.Hint.EntryId, t => t.Since);
        taken.Clear();
        var kept = busy.ToHashSet();
        foreach (var hint in hints.Where(h => kept.Contains(h.JobId)))
        {
            var heldSince = since.GetValueOrDefault(hint.EntryId, now);
            if (now - heldSince < RetryFor)
            {
                waiting.Add((hint, heldSince));
            }
            else
            {
                kept.Remove(hint.JobId);
                logger.LogWarning("Job {JobId} stayed locked by another transaction for {Duration}; leaving it to maintenance", hint.JobId, now - heldSince);
            }
        }

        return kept;
    }
}
