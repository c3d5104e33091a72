using System.Text.Json.Nodes;
using Jobs.Contracts.Jobs;

namespace Jobs.Web.Components.Contacts;

/// <summary>A contacts.* job the contacts page is asked to start; <see cref="What"/> names it in notices.</summary>
/// <param name="Refresh">Whether the list changes when it completes (an export changes nothing).</param>
public sealed record ContactJobRequest(string Type, JsonObject Payload, string What, bool ClearSelection, bool Refresh)
{
    /// <summary>What the job works on, under its toast's sentence: "92 contacts · Welcome".</summary>
    public string? Subtitle { get; init; }
}

/// <summary>A job this page started that has reached a terminal status.</summary>
public sealed record FinishedContactJob(Guid JobId, string What, string Status);

/// <summary>
/// The jobs the contacts page started and is waiting for, so that it re-reads its list when one of them ends. The
/// live feed can announce a fast job's end before the submit's answer has given the page its id: such ends are kept
/// (a bounded few) and matched when the id arrives.
/// </summary>
public sealed class StartedContactJobs
{
    private const int MaxEarlyEnds = 200;
    private readonly Dictionary<Guid, string> _waiting = [];
    private readonly Dictionary<Guid, string> _endedEarly = [];

    public int Count => _waiting.Count;

    /// <returns>The job as finished when its end was already announced, else null (it is waited for).</returns>
    public FinishedContactJob? Started(Guid jobId, string what)
    {
        if (_endedEarly.Remove(jobId, out var status))
        {
            return new FinishedContactJob(jobId, what, status);
        }

        _waiting[jobId] = what;
        return null;
    }

    /// <returns>The finished job when the update ends one this page waits for, else null.</returns>
    public FinishedContactJob? Observe(JobUpdate update)
    {
        if (!JobStatus.IsFinal(update.Status))
        {
            return null;
        }

        if (_waiting.Remove(update.JobId, out var what))
        {
            return new FinishedContactJob(update.JobId, what, update.Status);
        }

        if (update.Type.StartsWith("contacts.", StringComparison.Ordinal))
        {
            if (_endedEarly.Count >= MaxEarlyEnds)
            {
                _endedEarly.Clear(); // Another tab's jobs, most likely; at worst one refresh waits for the resync.
            }

            _endedEarly[update.JobId] = update.Status;
        }

        return null;
    }
}
