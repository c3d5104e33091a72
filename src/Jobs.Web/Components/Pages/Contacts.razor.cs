using System.Text.Json.Nodes;
using Jobs.Client;
using Jobs.Contracts.Contacts;
using Jobs.Contracts.Files;
using Jobs.Contracts.Jobs;
using Jobs.Web.Api;
using Jobs.Web.Components.Contacts;
using Jobs.Web.Components.Display;
using Jobs.Web.Components.Shared;
using MudBlazor;

namespace Jobs.Web.Components.Pages;

/// <summary>The contacts list, its filters and bulk jobs; the list re-reads itself when a job that changes it ends.</summary>
public partial class Contacts
{
    private const int PageSize = 100;
    /// <summary>The API's largest page: a refresh re-reads at most this many of the rows loaded so far.</summary>
    private const int MaxPageSize = 200;

    private List<ContactResponse>? contacts;
    private string? nextCursor;
    private bool loadingMore;
    private bool loading;
    private bool busy;
    private int generation;
    private readonly HashSet<Guid> selected = [];
    private string? search;
    private string? tag;
    private string? optedOut;
    private string? doNotContact;
    private readonly StartedContactJobs started = new();
    private FinishedContactJob? finished;
    private long? total;
    private int maxSelection = 1000;
    private bool selectingAll;
    private BulkJobsLeft? bulkJobsLeft;

    protected override async Task OnInitializedAsync()
    {
        await FollowWorkspaceAsync(OnJobUpdateAsync);
        try
        {
            maxSelection = (await Api.GetWorkspaceAsync(CancellationToken.None)).Limits.MaxBatchItems;
        }
        catch (JobsApiException)
        {
            // The API's own limit (1,000) stays; a bigger selection would be refused at submit, with the reason.
        }

        await ReloadAsync();
    }

    private bool IsFiltered => Filters != new ContactQuery(null, null, null, null);

    private int NotShown => contacts is null ? selected.Count : selected.Count - contacts.Count(c => selected.Contains(c.Id));

    // Every row on screen is selected and more match: the offer to select them all (or why it cannot).
    private bool OffersAllMatching => contacts is { Count: > 0 } && total > contacts.Count && contacts.All(c => selected.Contains(c.Id)) && total > selected.Count;

    private ContactQuery Filters => new(
        string.IsNullOrWhiteSpace(tag) ? null : tag.Trim(),
        string.IsNullOrWhiteSpace(search) ? null : search.Trim(),
        optedOut is null ? null : optedOut == "true",
        doNotContact is null ? null : doNotContact == "true");

    // A filter change reloads from the top; the selection stays (selected contacts need not be on screen to be acted on).
    private async Task ReloadAsync() => await ReloadAsync(PageSize);

    private async Task ReloadAsync(int limit)
    {
        // The rows on screen stay until the new ones arrive; only the newest request's answer is shown.
        var mine = ++generation;
        loading = true;
        try
        {
            var filters = Filters;
            var pageRead = Api.ListContactsAsync(filters, limit, null, CancellationToken.None);
            var countRead = Api.ListContactIdsAsync(filters, 0, CancellationToken.None);
            var (page, count) = (await pageRead, await countRead);
            if (mine == generation)
            {
                contacts = [.. page.Items];
                nextCursor = page.NextCursor;
                total = count.Total;
            }
        }
        catch (JobsApiException ex)
        {
            Snackbar.Add(ex.Summary, Severity.Warning);
            contacts ??= [];
        }
        finally
        {
            if (mine == generation)
            {
                loading = false;
            }
        }
    }

    private async Task LoadMoreAsync()
    {
        var mine = generation;
        loadingMore = true;
        try
        {
            var page = await Api.ListContactsAsync(Filters, PageSize, nextCursor, CancellationToken.None);
            if (mine == generation && contacts is not null)
            {
                var known = contacts.Select(c => c.Id).ToHashSet();
                contacts.AddRange(page.Items.Where(c => known.Add(c.Id)));
                nextCursor = page.NextCursor;
            }
        }
        finally
        {
            loadingMore = false;
        }
    }

    private Task OnSearchChanged(string? value) { search = value; return ReloadAsync(); }

    private Task OnTagChanged(string? value) { tag = value; return ReloadAsync(); }

    private Task OnOptedOutChanged(string? value) { optedOut = value; return ReloadAsync(); }

    private Task OnDoNotContactChanged(string? value) { doNotContact = value; return ReloadAsync(); }

    private async Task OnJobUpdateAsync(JobUpdate update)
    {
        if (started.Observe(update) is { } job)
        {
            await RefreshAfterAsync(job);
        }
    }

    // The rows loaded so far, re-read with the same filters: deleted contacts go, tags and imports show, the user's
    // place in the list stays (up to the API's largest page).
    private async Task RefreshAfterAsync(FinishedContactJob job)
    {
        finished = job;
        await ReloadAsync(Math.Clamp(contacts?.Count ?? 0, PageSize, MaxPageSize));
        StateHasChanged();
    }

    private void ClearSelection() => selected.Clear();

    private async Task SelectAllMatchingAsync()
    {
        selectingAll = true;
        try
        {
            var matching = await Api.ListContactIdsAsync(Filters, maxSelection, CancellationToken.None);
            var union = selected.Union(matching.Ids).Count();
            if (matching.Total > matching.Ids.Count || union > maxSelection)
            {
                // More match now than when the offer was made, or the earlier selection would take it over the limit.
                Snackbar.Add($"{DisplayFormat.Plural(union, "contact")} would be selected; one bulk job takes at most {DisplayFormat.Count(maxSelection)}. "
                    + "Clear the selection or narrow the filters first.", Severity.Warning);
                return;
            }

            selected.UnionWith(matching.Ids);
        }
        catch (JobsApiException ex)
        {
            Snackbar.Add(ex.Summary, Severity.Warning);
        }
        finally
        {
            selectingAll = false;
        }
    }

    private async Task ExportAsync()
    {
        var filters = new JsonObject();
        var current = Filters;
        if (current.Tag is { } t) { filters["tag"] = t; }
        if (current.Search is { } s) { filters["search"] = s; }
        if (current.OptedOut is { } o) { filters["optedOut"] = o; }
        if (current.DoNotContact is { } d) { filters["doNotContact"] = d; }
        var payload = filters.Count == 0 ? new JsonObject() : new JsonObject { ["filters"] = filters };
        await SubmitAsync(new ContactJobRequest("contacts.export", payload,
            filters.Count == 0 ? "Exporting all contacts" : "Exporting the filtered contacts", ClearSelection: false, Refresh: false)
        {
            Subtitle = filters.Count == 0 ? "All contacts" : "The filtered contacts",
        });
    }

    private async Task ImportAsync(UploadResponse upload) =>
        await SubmitAsync(new ContactJobRequest("contacts.import", new JsonObject { ["uploadId"] = upload.UploadId.ToString() },
            $"Importing {upload.Name}", ClearSelection: false, Refresh: true) { Subtitle = upload.Name });

    // Submits and stays: the job's toast follows it live and links to its page, the user keeps working here meanwhile,
    // and the list refreshes itself when a job that changes it ends.
    private async Task<bool> SubmitAsync(ContactJobRequest request)
    {
        busy = true;
        try
        {
            var job = await Api.SubmitAsync(request.Type, request.Payload, new SubmitOptions { IdempotencyKey = Guid.NewGuid().ToString("N") }, CancellationToken.None);
            if (request.ClearSelection)
            {
                selected.Clear();
            }

            await Toasts.FollowAsync(job.JobId, request.Type, request.Subtitle);
            if (request.Refresh && started.Started(job.JobId, request.What) is { } already)
            {
                await RefreshAfterAsync(already);
            }

            return true;
        }
        catch (JobsApiException ex)
        {
            var details = ex.Errors.SelectMany(e => e.Value.Select(m => $"{DisplayFormat.Label(e.Key)} {m}")).ToList();
            Snackbar.Add($"{request.What} failed: {(details.Count > 0 ? string.Join(' ', details) : ex.Summary)}", Severity.Error);
            return false;
        }
        finally
        {
            busy = false;
            // Started from the bulk bar's dialogs, not from this page's own markup: without this the table kept its
            // ticks and the bar its disabled buttons until something else redrew the page.
            StateHasChanged();
            if (bulkJobsLeft is not null)
            {
                await bulkJobsLeft.RefreshAsync();
            }
        }
    }
}
