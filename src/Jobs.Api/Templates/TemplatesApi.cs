using Jobs.Api.Auth;
using Jobs.Api.Jobs;
using Jobs.Api.Limits;
using Jobs.Api.Paging;
using Jobs.Api.Problems;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Templates;
using Jobs.Core.Engine.Templates;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Jobs.Api.Templates;

/// <summary>What the templates endpoints depend on, gathered in one <c>[AsParameters]</c> record.</summary>
public sealed record TemplateServices(HttpContext HttpContext, IJobTemplateStore Store, JobRequestValidator Jobs, WorkspaceLimitsCache Limits)
{
    public Caller Caller => HttpContext.User.ToCaller();
}

/// <summary>
/// Named job templates (docs/api.md, "Templates"). Scoped to the caller's workspace: another workspace's template
/// answers exactly like one that does not exist (docs/design.md, "Tenancy"). Every member may read and save templates;
/// only a template's creator or an admin may delete it. A template has no edit: delete it and save it again.
/// </summary>
public static class TemplatesApi
{
    public const int MaxNameLength = 100;

    public static RouteGroupBuilder MapTemplatesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization()
            .WithTags("Templates");

        api.MapPost("/templates", CreateTemplate)
            .WithName("CreateTemplate")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Save a job's type, payload and options under a name, validated like a submit");
        api.MapGet("/templates", ListTemplates)
            .WithName("ListTemplates")
            .WithSummary("Templates, newest first, with keyset pagination");
        api.MapGet("/templates/{id}", GetTemplate)
            .WithName("GetTemplate")
            .WithSummary("One template");
        api.MapDelete("/templates/{id}", DeleteTemplate)
            .WithName("DeleteTemplate")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .WithSummary("Delete a template (its creator or an admin)");
        return api;
    }

    public static async Task<Results<Created<TemplateResponse>, ValidationProblem, ProblemHttpResult>> CreateTemplate(
        [FromBody] TemplateRequest? request, [AsParameters] TemplateServices services, CancellationToken cancellationToken)
    {
        var caller = services.Caller;
        var errors = new Dictionary<string, string[]>();
        if (await ValidateAsync(request, services, errors, cancellationToken) is not { } definition)
        {
            return ApiProblems.Validation(errors);
        }

        if (await services.Store.TemplateCreateAsync(caller.WorkspaceId, caller.UserId, definition, cancellationToken) is not { } template)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "template_name_taken", "Template name taken",
                $"Your workspace already has a template named '{definition.Name}'; choose another name or delete that one.",
                new Dictionary<string, object?> { ["field"] = "name" });
        }

        return TypedResults.Created($"/api/templates/{template.Id}", TemplateResponse.From(template));
    }

    public static async Task<Results<Ok<TemplateListResponse>, ValidationProblem>> ListTemplates(
        string? limit, string? cursor, [AsParameters] TemplateServices services, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var size = PageQuery.ParseLimit(limit, errors);
        var after = PageQuery.ParseIdCursor(cursor, errors);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var page = await services.Store.TemplateListAsync(services.Caller.WorkspaceId, size, after, cancellationToken);
        return TypedResults.Ok(new TemplateListResponse(page.Items.Select(TemplateResponse.From).ToList(), page.NextCursor?.ToString()));
    }

    public static async Task<Results<Ok<TemplateResponse>, ProblemHttpResult>> GetTemplate(
        string id, [AsParameters] TemplateServices services, CancellationToken cancellationToken) =>
        await FindAsync(id, services, cancellationToken) is { } template ? TypedResults.Ok(TemplateResponse.From(template)) : NotFound(id);

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteTemplate(
        string id, [AsParameters] TemplateServices services, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, services, cancellationToken) is not { } template)
        {
            return NotFound(id);
        }

        var caller = services.Caller;
        if (template.UserId != caller.UserId && !caller.IsAdmin)
        {
            return ApiProblems.Problem(StatusCodes.Status403Forbidden, "forbidden", "Not allowed",
                "Only the template's creator or an admin of the workspace may delete it.");
        }

        return await services.Store.TemplateDeleteAsync(caller.WorkspaceId, template.Id, cancellationToken) ? TypedResults.NoContent() : NotFound(id);
    }

    /// <summary>
    /// The name here; the job's fields with the submit's validator, so that an error has the same field and message as
    /// on <c>POST /api/jobs</c>. Attempts and timeout left out stay unset: a job started later takes the type's defaults
    /// as they are then.
    /// </summary>
    private static async Task<JobTemplateDefinition?> ValidateAsync(
        TemplateRequest? request, TemplateServices services, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        if (request is null)
        {
            errors["body"] = ["is required: send a JSON object with name, type and payload."];
            return null;
        }

        UnknownFields.Check(request.Unknown, "", errors);
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors["name"] = ["is required."];
        }
        else if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            errors["name"] = [$"must be 1 to {MaxNameLength} printable characters."];
        }

        var limits = await services.Limits.GetAsync(services.Caller.WorkspaceId, cancellationToken);
        var job = new SubmitJobRequest(request.Type, request.Payload, request.Priority, MaxAttempts: request.MaxAttempts, TimeoutSeconds: request.TimeoutSeconds);
        var insert = await services.Jobs.ValidateAsync(job, "", limits?.MaxBatchItems ?? JobsApi.DefaultMaxBatchItems, errors, cancellationToken);
        return insert is null || errors.Count > 0
            ? null
            : new JobTemplateDefinition(name!, insert.Type, insert.Payload, insert.Priority, request.MaxAttempts, request.TimeoutSeconds);
    }

    private static async Task<JobTemplate?> FindAsync(string id, TemplateServices services, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var templateId) ? await services.Store.TemplateGetAsync(services.Caller.WorkspaceId, templateId, cancellationToken) : null;

    private static ProblemHttpResult NotFound(string id) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "template_not_found", "Template not found",
            $"There is no template '{(id.Length <= 64 ? id : id[..64] + "…")}' in your workspace.");
}
