using System.Text.Json;
using Jobs.Client;
using Jobs.Contracts.Jobs;
using Jobs.Web.Api;
using Jobs.Web.Components.Display;
using Jobs.Web.Components.Layout;
using Microsoft.JSInterop;
using MudBlazor;
using Polly.Timeout;

namespace Jobs.Web.Live;

/// <summary>
/// The toasts of the jobs this tab started (a bulk action, the new-job form, a retry): one per job, shown as soon as the
/// job is accepted and changed in place by the workspace's live updates (<see cref="JobNotifications"/> hands them
/// over) until it ends. One per circuit. The followed jobs are kept in the tab's session storage, so that a refresh
/// shows their toasts again, read afresh from the API; nothing else is kept.
/// </summary>
public sealed class JobToasts(ISnackbar snackbar, JobsClient api, JobTypeCache jobTypes, IJSRuntime js, TimeProvider time, ILogger<JobToasts> logger)
{
    /// <summary>Ended toasts shown at once; the oldest goes when another job ends.</summary>
    public const int MaxEnded = 3;

    /// <summary>A refresh shows again the toast of a job that ended this recently and was not dismissed.</summary>
    private static readonly TimeSpan RestoreEndedWithin = TimeSpan.FromMinutes(10);
    private const string StorageKey = "jobs.toasts";
    private readonly Dictionary<Guid, JobToastState> _followed = [];

    private sealed record Stored(Guid Id, string Type, string? Subtitle);

    public bool IsFollowing(Guid jobId) => _followed.ContainsKey(jobId);

    /// <summary>The completion toast of a job this tab did not start (see <see cref="JobNotifications"/>), by the job.</summary>
    public static string UnfollowedKey(Guid jobId) => $"job-ended:{jobId}";

    /// <summary>Shows the job's toast and follows it; a job followed already (a retry) keeps its one toast.</summary>
    /// <param name="subtitle">What the job works on, in the page's words ("92 contacts · Welcome"); null reads it from the payload.</param>
    public async Task FollowAsync(Guid jobId, string type, string? subtitle)
    {
        if (!_followed.TryGetValue(jobId, out var state))
        {
            var texts = await jobTypes.GetAsync(api, CancellationToken.None);
            state = new JobToastState(jobId, type, texts.Display(type), subtitle);
            _followed[jobId] = state;
            // A fast job may have ended, with its completion toast for others' jobs, before its id came back.
            snackbar.RemoveByKey(UnfollowedKey(jobId));
            await SaveAsync();
        }

        Show(state);
        await ReadAsync(state);
    }

    /// <returns>Whether the update is about a followed job (its toast shows it; no other toast is wanted).</returns>
    public async Task<bool> ApplyAsync(JobUpdate update)
    {
        if (!_followed.TryGetValue(update.JobId, out var state))
        {
            return false;
        }

        var wasEnded = state.IsEnded;
        if (state.Apply(update, time.GetUtcNow()))
        {
            state.NotifyChanged();
            if (state.IsEnded && !wasEnded)
            {
                // The update has no result: read it for the job's own words (the toast says "completed" meanwhile).
                await ReadAsync(state);
                CapEnded();
            }
        }

        return true;
    }

    /// <summary>Shows again the toasts this tab followed before a refresh, as the jobs are now.</summary>
    public async Task RestoreAsync()
    {
        List<Stored> stored;
        try
        {
            stored = JsonSerializer.Deserialize<List<Stored>>(await js.InvokeAsync<string?>("sessionStorage.getItem", StorageKey) ?? "[]", JsonSerializerOptions.Web) ?? [];
        }
        catch (JsonException)
        {
            stored = [];
        }

        foreach (var entry in stored.Where(e => !_followed.ContainsKey(e.Id)))
        {
            var texts = await jobTypes.GetAsync(api, CancellationToken.None);
            var state = new JobToastState(entry.Id, entry.Type, texts.Display(entry.Type), entry.Subtitle);
            if (await TryReadAsync(entry.Id) is { } job && (!job.IsTerminal || time.GetUtcNow() - (job.CompletedAt ?? job.UpdatedAt) < RestoreEndedWithin))
            {
                state.Apply(job, time.GetUtcNow());
                state.Subtitle ??= JobOutcome.Subject(job.Type, job.Payload);
                _followed[entry.Id] = state;
                Show(state);
            }
        }

        CapEnded();
        await SaveAsync();
    }

    public async Task DismissAsync(JobToastState state)
    {
        if (state.Snackbar is { } bar)
        {
            snackbar.Remove(bar);
            state.Snackbar = null;
        }

        if (_followed.Remove(state.JobId))
        {
            await SaveAsync();
        }
    }

    /// <exception cref="JobsApiException">409 when the job cannot be retried (someone retried it first).</exception>
    public async Task RetryAsync(JobToastState state)
    {
        var job = await api.RetryAsync(state.JobId, CancellationToken.None);
        if (state.Apply(job, time.GetUtcNow()))
        {
            state.NotifyChanged();
        }
    }

    private void Show(JobToastState state)
    {
        if (state.Snackbar is not null)
        {
            return;
        }

        state.Snackbar = snackbar.Add<JobToast>(new Dictionary<string, object> { [nameof(JobToast.State)] = state }, Severity.Normal, options =>
        {
            // The toast lives as long as the job runs; JobToast hides a completed one after a while, and the user any.
            options.RequireInteraction = true;
            options.ShowCloseIcon = false;
            options.HideIcon = true;
            options.SnackbarVariant = Variant.Outlined;
            options.SnackbarTypeClass = "job-toast";
            options.DuplicatesBehavior = SnackbarDuplicatesBehavior.Allow;
        }, key: $"job:{state.JobId}");
    }

    // The job as the API has it now, its result included: what happened before the toast was listening, or after.
    private async Task ReadAsync(JobToastState state)
    {
        if (await TryReadAsync(state.JobId) is { } job)
        {
            state.Subtitle ??= JobOutcome.Subject(job.Type, job.Payload);
            state.Apply(job, time.GetUtcNow());
            state.NotifyChanged();
        }
    }

    private async Task<JobResponse?> TryReadAsync(Guid jobId)
    {
        try
        {
            return await api.GetAsync(jobId, CancellationToken.None);
        }
        catch (Exception ex) when (ex is HttpRequestException or JobsApiException or TimeoutRejectedException)
        {
            // The live updates go on; the toast says what they say.
            logger.LogDebug(ex, "Could not read job {JobId} for its toast", jobId);
            return null;
        }
    }

    private void CapEnded()
    {
        foreach (var old in _followed.Values.Where(s => s.IsEnded).OrderByDescending(s => s.EndedAt).Skip(MaxEnded).ToList())
        {
            if (old.Snackbar is { } bar)
            {
                snackbar.Remove(bar);
                old.Snackbar = null;
            }

            _followed.Remove(old.JobId);
        }
    }

    private async Task SaveAsync()
    {
        var stored = _followed.Values.Select(s => new Stored(s.JobId, s.Type, s.Subtitle)).ToList();
        try
        {
            await js.InvokeVoidAsync("sessionStorage.setItem", StorageKey, JsonSerializer.Serialize(stored, JsonSerializerOptions.Web));
        }
        catch (Exception ex) when (ex is JSException or JSDisconnectedException or InvalidOperationException or TaskCanceledException)
        {
            // A refresh would not restore the toasts; they work meanwhile.
            logger.LogDebug(ex, "Could not keep the followed jobs in session storage");
        }
    }
}
