using Jobs.Client;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Schedules;
using Jobs.Web.Api;
using Jobs.Web.Components.Display;
using Jobs.Web.Live;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Jobs.Web.Components.Pages;

/// <summary>A job's page: its state, kept current by live updates and re-reads, its timeline, cancel and retry.</summary>
public partial class JobDetails
{
    private JobResponse? job;
    private IReadOnlyList<JobEventResponse> timeline = [];
    private bool notFound;
    private bool busy;
    private Guid loadedId;
    private readonly ProgressRate rate = new();
    private WorkspaceSlots? slots;
    private Timer? ticker;
    private bool reloading;
    private bool reloadAgain;
    private List<BreadcrumbItem> breadcrumbs = [];
    private JobTypeTexts texts = JobTypeTexts.Empty;
    private ScheduleResponse? schedule;

    [Parameter]
    public Guid Id { get; set; }

    protected override async Task OnInitializedAsync()
    {
        texts = await JobTypes.GetAsync(Api, CancellationToken.None);
        // Followed before the first read: updates that race the read are sorted out by their sequence.
        if (await FollowWorkspaceAsync(OnUpdateAsync) is { } workspaceId)
        {
            slots = new WorkspaceSlots(Api, work => InvokeAsync(work), StateHasChanged, Options.Value.DashboardMinRefreshInterval);
            await slots.StartAsync(Feed, workspaceId, Options.Value.ResyncInterval);
        }

        // Elapsed and time left move every second on their own.
        ticker = new Timer(_ => InvokeAsync(Tick), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        ResyncEvery(Options.Value.ResyncInterval, ResyncAsync);
    }

    protected override async Task OnParametersSetAsync()
    {
        if (loadedId == Id)
        {
            return;
        }

        loadedId = Id;
        (job, timeline, notFound) = (null, [], false);
        rate.Reset();
        breadcrumbs = [new("Jobs", "/jobs"), new(Id.ToString()[^12..], null, disabled: true)];
        await ReloadAsync();
        // Its schedule's name, read once: a job's schedule never changes (deleted, the job shows none on the next read).
        schedule = job?.ScheduleId is { } scheduleId ? await Api.GetScheduleAsync(scheduleId, CancellationToken.None) : null;
    }

    /// <summary>Reads the row and the timeline; a read older than what live updates already showed is dropped.</summary>
    private async Task ReloadAsync()
    {
        if (reloading)
        {
            reloadAgain = true; // Coalesced: one more read after this one covers every change that asked.
            return;
        }

        reloading = true;
        try
        {
            do
            {
                reloadAgain = false;
                var id = Id;
                var fresh = await Api.GetAsync(id, CancellationToken.None);
                if (id != Id)
                {
                    return;
                }

                if (fresh is null)
                {
                    notFound = true;
                    job = null;
                    return;
                }

                var entries = await Api.TimelineAsync(id, CancellationToken.None);
                if (job is null || fresh.Sequence >= job.Sequence)
                {
                    Seed(fresh, entries);
                    job = fresh;
                    timeline = entries;
                }
            }
            while (reloadAgain);
        }
        finally
        {
            reloading = false;
        }
    }

    private async Task OnUpdateAsync(JobUpdate update)
    {
        if (job is null || update.JobId != Id)
        {
            return;
        }

        var before = job;
        job = job.Apply(update);
        if (ReferenceEquals(before, job))
        {
            return;
        }

        rate.Add(DateTimeOffset.UtcNow, job.Progress);
        StateHasChanged();
        // The update has no timeline entry, CanCancel or CanRetry: a transition or a stage change re-reads them.
        if (before.Status != job.Status || before.Stage != job.Stage || before.Attempt != job.Attempt || update.Message is not null)
        {
            await ReloadAsync();
            StateHasChanged();
        }
    }

    // The rate starts at the beginning of the current attempt, so that a page opened mid-job estimates at once.
    private void Seed(JobResponse fresh, IReadOnlyList<JobEventResponse> entries)
    {
        if (job is not null || fresh.Status != JobStatus.Processing)
        {
            return;
        }

        if (entries.LastOrDefault(e => e.Kind == JobEventKind.Started && e.Attempt == fresh.Attempt) is { } started)
        {
            rate.Add(started.At, 0);
        }

        rate.Add(DateTimeOffset.UtcNow, fresh.Progress);
    }

    private async Task CancelAsync() => await RunCommandAsync("cancel", () => Api.CancelAsync(Id, CancellationToken.None));

    private async Task RetryAsync()
    {
        rate.Reset();
        if (await RunCommandAsync("retry", () => Api.RetryAsync(Id, CancellationToken.None)) is { } retried)
        {
            // The retried attempt is followed by a toast too, so that the user may leave this page meanwhile.
            await Toasts.FollowAsync(retried.Id, retried.Type, subtitle: null);
        }
    }

    /// <returns>The job as the command left it, or null when it was refused (and the page says why).</returns>
    private async Task<JobResponse?> RunCommandAsync(string action, Func<Task<JobResponse>> command)
    {
        busy = true;
        try
        {
            var result = await command();
            if (job is null || result.Sequence >= job.Sequence)
            {
                job = result;
            }

            timeline = await Api.TimelineAsync(Id, CancellationToken.None);
            return result;
        }
        catch (JobsApiException ex) when ((int)ex.Status == StatusCodes.Status409Conflict)
        {
            // Someone (a worker, another tab) moved the job first; show why and what it is now.
            Snackbar.Add($"Cannot {action}: {ex.Summary}", Severity.Warning);
            await ReloadAsync();
            return null;
        }
        finally
        {
            busy = false;
        }
    }

    private void Tick()
    {
        if (job is { Status: JobStatus.Processing })
        {
            StateHasChanged();
        }
    }

    private async Task ResyncAsync()
    {
        if (job is { IsTerminal: false })
        {
            await ReloadAsync();
            StateHasChanged();
        }
    }

    private JobTypeDisplay? Display => job is null ? null : texts.Display(job.Type);

    // A running step without items to count (one long call to a model) reads with its elapsed time, counting up.
    private string StageText => job is { Status: JobStatus.Processing, StartedAt: { } started } && !JobText.HasItems(job.ProcessedItems, job.TotalItems)
        ? JobText.LongStep(Display, job.Stage, DateTimeOffset.UtcNow - started)
        : job is null ? "" : JobText.Stage(Display, job.Status, job.Stage);

    private string Items => job is null ? "—" : JobText.Items(Display, job.Stage, job.ProcessedItems, job.TotalItems) ?? "—";

    private string Elapsed => job?.StartedAt is { } started
        ? DisplayFormat.Duration((job.CompletedAt ?? (job.IsTerminal ? job.UpdatedAt : DateTimeOffset.UtcNow)) - started)
        : "not started";

    private string TimeLeft => job switch
    {
        { Status: JobStatus.Completed } => "done",
        { IsTerminal: true } => "—",
        // An estimate needs a rate of items; one long step has none, and a guess from its creeping percent would grow
        // while the user waits.
        { Status: JobStatus.Processing } when !JobText.HasItems(job.ProcessedItems, job.TotalItems) => "—",
        { Status: JobStatus.Processing } => rate.Remaining(DateTimeOffset.UtcNow) is { } left ? $"about {DisplayFormat.Duration(left)}" : "estimating…",
        { IsWaitingForDependencies: true } => "waits for its dependencies",
        _ => "waiting to start",
    };

    protected override void Dispose(bool disposing)
    {
        slots?.Dispose();
        ticker?.Dispose();
    }
}
