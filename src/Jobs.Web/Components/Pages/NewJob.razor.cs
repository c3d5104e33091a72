using System.Text.Json;
using Jobs.Client;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Templates;
using Jobs.Web.Api;
using Jobs.Web.Components.PayloadForm;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Jobs.Web.Components.Pages;

/// <summary>
/// The New job form started from something: another job (<c>?from=</c>, "Run again…") or a saved template
/// (<c>?template=</c>, or the picker), with the job's options; and saving the form as a template.
/// </summary>
public partial class NewJob
{
    private IReadOnlyList<TemplateResponse> templates = [];
    private Guid? templateId;
    private FormOrigin? origin;
    private int? priority;
    private int? maxAttempts;
    private int? timeoutSeconds;
    // Changes when the form is filled from elsewhere, so that every field's editor starts again from its value.
    private int formVersion;
    private bool savingTemplate;
    private string? templateName;
    private string? templateError;

    /// <summary>The job to start again: its type, payload and options fill the form.</summary>
    [SupplyParameterFromQuery(Name = "from")]
    public Guid? FromJob { get; set; }

    /// <summary>The template to start from.</summary>
    [SupplyParameterFromQuery(Name = "template")]
    public Guid? FromTemplate { get; set; }

    private bool HasOptions => priority is not null || maxAttempts is not null || timeoutSeconds is not null;

    // Collapsed, the panel still says what differs from the type's defaults.
    private string OptionsTitle => HasOptions
        ? "Options: " + string.Join(", ", new[]
            {
                priority is { } p ? $"priority {p}" : null,
                maxAttempts is { } a ? $"{a} attempts" : null,
                timeoutSeconds is { } s ? $"timeout {s} s" : null,
            }.OfType<string>())
        : "Options: priority, attempts, timeout (the type's defaults)";

    private string TemplateNameOf(Guid? id) => templates.FirstOrDefault(t => t.Id == id)?.Name ?? "";

    private SubmitJobRequest Input() =>
        new(typeName!, PayloadField.ToPayload(fields), priority, MaxAttempts: maxAttempts, TimeoutSeconds: timeoutSeconds);

    private async Task PrefillAsync()
    {
        // The newest templates, as many as a page holds: enough for a picker.
        templates = (await Api.ListTemplatesAsync(limit: 200, cancellationToken: CancellationToken.None)).Items;
        if (FromJob is { } jobId)
        {
            if (await Api.GetAsync(jobId, CancellationToken.None) is { } job)
            {
                Fill(job.Type, job.Payload, job.Priority, job.MaxAttempts, job.TimeoutSeconds);
                origin = new FormOrigin("Filled in from job", $"/jobs/{job.Id}", job.Id.ToString()[^12..]);
            }
            else
            {
                formError = $"There is no job {jobId} in your workspace to start again.";
            }
        }
        else if (FromTemplate is { } id)
        {
            if (await Api.GetTemplateAsync(id, CancellationToken.None) is { } template)
            {
                Apply(template);
            }
            else
            {
                formError = "That template no longer exists in your workspace.";
            }
        }
    }

    private async Task ApplyTemplateAsync(Guid? id)
    {
        templateId = id;
        if (id is null)
        {
            origin = null;
            return;
        }

        // Read again rather than from the list: another member may have deleted it since the page opened.
        if (await Api.GetTemplateAsync(id.Value, CancellationToken.None) is { } template)
        {
            Apply(template);
        }
        else
        {
            templates = templates.Where(t => t.Id != id).ToList();
            (templateId, formError) = (null, "That template no longer exists in your workspace.");
        }
    }

    private void Apply(TemplateResponse template)
    {
        templateId = template.Id;
        Fill(template.Type, template.Payload, template.Priority, template.MaxAttempts, template.TimeoutSeconds);
        origin = new FormOrigin($"From template “{template.Name}”", null, null);
    }

    /// <summary>
    /// The form as another job or a template had it. Options equal to the type's defaults stay empty, so that the job
    /// follows the type if its defaults change. A type no worker runs now cannot be submitted, and says so.
    /// </summary>
    private void Fill(string type, JsonElement payload, int jobPriority, int? attempts, int? timeout)
    {
        if (types!.FirstOrDefault(t => t.Name == type) is not { } definition)
        {
            formError = $"Its job type '{type}' is not run by any worker now, so it cannot be started.";
            return;
        }

        OnTypeChanged(type);
        PayloadField.Load(fields, payload);
        priority = jobPriority == 0 ? null : jobPriority;
        maxAttempts = attempts == definition.MaxAttempts ? null : attempts;
        timeoutSeconds = timeout == definition.TimeoutSeconds ? null : timeout;
        formVersion++;
        idempotencyKey = Guid.NewGuid().ToString("N");
    }

    private void OpenSaveTemplate()
    {
        (templateName, templateError, savingTemplate) = (null, null, true);
    }

    private async Task SaveTemplateAsync()
    {
        // Saved as the form would submit: a list value still in its box is part of it, and an upload must have ended.
        if (!PayloadField.CommitAll(fields))
        {
            templateError = "A file is still uploading: save once it shows its name and size.";
            return;
        }

        submitting = true;
        try
        {
            var job = Input();
            var saved = await Api.CreateTemplateAsync(
                new TemplateRequest(templateName!.Trim(), job.Type, job.Payload, job.Priority, job.MaxAttempts, job.TimeoutSeconds), CancellationToken.None);
            templates = [saved, .. templates];
            (templateId, savingTemplate) = (saved.Id, false);
            Snackbar.Add($"Saved as template “{saved.Name}”.", Severity.Success);
        }
        catch (JobsApiException ex) when (ex.Errors.ContainsKey("name") || (int)ex.Status == StatusCodes.Status409Conflict)
        {
            templateError = ex.Errors.TryGetValue("name", out var messages) ? $"Name {string.Join(' ', messages)}" : ex.Summary;
        }
        catch (JobsApiException ex)
        {
            // The job's own fields: shown on the form, as a submit's would be.
            savingTemplate = false;
            ShowProblem(ex);
        }
        finally
        {
            submitting = false;
        }
    }

    private async Task DeleteTemplateAsync(Guid id)
    {
        try
        {
            await Api.DeleteTemplateAsync(id, CancellationToken.None);
        }
        catch (JobsApiException ex)
        {
            Snackbar.Add(ex.Summary, Severity.Error);
            return;
        }

        Snackbar.Add($"Deleted template “{TemplateNameOf(id)}”.", Severity.Info);
        templates = templates.Where(t => t.Id != id).ToList();
        (templateId, origin) = (null, null);
    }

    /// <summary>Where the form's values came from, shown under the title, with a link when it is a job.</summary>
    private sealed record FormOrigin(string Text, string? Href, string? Link);
}
