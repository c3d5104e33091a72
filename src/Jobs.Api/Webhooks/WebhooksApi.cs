using Jobs.Api.Auth;
using Jobs.Api.Paging;
using Jobs.Api.Problems;
using Jobs.Api.Security;
using Jobs.Contracts.Webhooks;
using Jobs.Core.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Webhooks;

/// <summary>
/// The workspace's webhook endpoints, for its admins (docs/api.md, "Webhooks"): register, list, change, delete,
/// rotate the signing secret (shown once), read the delivery log and redeliver. Another workspace's endpoint or
/// delivery answers 404.
/// </summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooksApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/webhooks")
            .RequireAuthorization(CallerClaims.AdminPolicy)
            .WithTags("Webhooks");

        api.MapGet("", ListWebhooks)
            .WithName("ListWebhooks")
            .WithSummary("The workspace's webhook endpoints with their state, never their secrets (admin)");
        api.MapPost("", CreateWebhook)
            .WithNoStore()
            .WithName("CreateWebhook")
            .WithSummary("Register an endpoint; its signing secret is in this response only (admin)");
        api.MapGet("/{id}", GetWebhook)
            .WithName("GetWebhook")
            .WithSummary("One webhook endpoint (admin)");
        api.MapPatch("/{id}", UpdateWebhook)
            .WithName("UpdateWebhook")
            .WithSummary("Change an endpoint's URL, events, job types or description, or enable or disable it (admin)");
        api.MapDelete("/{id}", DeleteWebhook)
            .WithName("DeleteWebhook")
            .WithSummary("Delete an endpoint with its delivery log (admin)");
        api.MapPost("/{id}/rotate-secret", RotateWebhookSecret)
            .WithNoStore()
            .WithName("RotateWebhookSecret")
            .WithSummary("A new signing secret, in this response only; the old one keeps signing for the overlap (admin)");
        api.MapGet("/{id}/deliveries", ListWebhookDeliveries)
            .WithName("ListWebhookDeliveries")
            .WithSummary("The endpoint's deliveries with every attempt, newest first (admin)");
        api.MapPost("/{id}/deliveries/{deliveryId}/redeliver", RedeliverWebhook)
            .WithName("RedeliverWebhook")
            .WithSummary("Send a delivery again now, with the same webhook-id (admin)");
        return api;
    }

    public static async Task<Ok<WebhookListResponse>> ListWebhooks(HttpContext httpContext, IWebhookStore webhooks, CancellationToken cancellationToken)
    {
        var endpoints = await webhooks.EndpointListAsync(httpContext.User.ToCaller().WorkspaceId, cancellationToken);
        return TypedResults.Ok(new WebhookListResponse([.. endpoints.Select(WebhookResponse.From)]));
    }

    public static async Task<Results<Created<WebhookWithSecretResponse>, ValidationProblem, ProblemHttpResult>> CreateWebhook(
        CreateWebhookRequest? request,
        HttpContext httpContext,
        IWebhookStore webhooks,
        WebhookRequestValidator validator,
        IOptions<WebhookOptions> options,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        UnknownFields.Check(request?.Unknown, "", errors);
        var fields = await validator.ValidateAsync(request?.Url, request?.Events, request?.JobTypes, request?.Description, creating: true, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        try
        {
            var created = await webhooks.EndpointCreateAsync(httpContext.User.ToCaller(),
                new WebhookEndpointCreateParams(fields.Url!, NullIfEmpty(fields.Description), fields.Events!, fields.JobTypes is { Count: > 0 } types ? types : null),
                options.Value.MaxEndpointsPerWorkspace, cancellationToken);
            return TypedResults.Created($"/api/webhooks/{created.Endpoint.Id}",
                new WebhookWithSecretResponse(WebhookResponse.From(created.Endpoint), created.Secret));
        }
        catch (WebhookEndpointLimitException ex)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "webhook_limit_reached", "Too many webhook endpoints",
                $"A workspace may have at most {ex.Max} webhook endpoints; delete one first.",
                new Dictionary<string, object?> { ["limit"] = ex.Max });
        }
    }

    public static async Task<Results<Ok<WebhookResponse>, ProblemHttpResult>> GetWebhook(
        string id, HttpContext httpContext, IWebhookStore webhooks, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var endpointId) && await webhooks.EndpointGetAsync(httpContext.User.ToCaller().WorkspaceId, endpointId, cancellationToken) is { } endpoint
            ? TypedResults.Ok(WebhookResponse.From(endpoint))
            : NotFound(id);

    public static async Task<Results<Ok<WebhookResponse>, ValidationProblem, ProblemHttpResult>> UpdateWebhook(
        string id,
        UpdateWebhookRequest? request,
        HttpContext httpContext,
        IWebhookStore webhooks,
        WebhookRequestValidator validator,
        CancellationToken cancellationToken)
    {
        var caller = httpContext.User.ToCaller();
        if (!Guid.TryParse(id, out var endpointId) || await webhooks.EndpointGetAsync(caller.WorkspaceId, endpointId, cancellationToken) is null)
        {
            return NotFound(id);
        }

        var errors = new Dictionary<string, string[]>();
        UnknownFields.Check(request?.Unknown, "", errors);
        var fields = await validator.ValidateAsync(request?.Url, request?.Events, request?.JobTypes, request?.Description, creating: false, errors, cancellationToken);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var updated = await webhooks.EndpointUpdateAsync(caller, endpointId,
            new WebhookEndpointUpdateParams(fields.Url, fields.Description, fields.Events, fields.JobTypes, request?.Enabled), cancellationToken);
        return updated is null ? NotFound(id) : TypedResults.Ok(WebhookResponse.From(updated));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteWebhook(
        string id, HttpContext httpContext, IWebhookStore webhooks, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var endpointId) && await webhooks.EndpointDeleteAsync(httpContext.User.ToCaller(), endpointId, cancellationToken)
            ? TypedResults.NoContent()
            : NotFound(id);

    public static async Task<Results<Ok<WebhookWithSecretResponse>, ProblemHttpResult>> RotateWebhookSecret(
        string id, HttpContext httpContext, IWebhookStore webhooks, IOptions<WebhookOptions> options, CancellationToken cancellationToken) =>
        Guid.TryParse(id, out var endpointId)
        && await webhooks.EndpointRotateSecretAsync(httpContext.User.ToCaller(), endpointId, options.Value.SecretRotationOverlap, cancellationToken) is { } rotated
            ? TypedResults.Ok(new WebhookWithSecretResponse(WebhookResponse.From(rotated.Endpoint), rotated.Secret))
            : NotFound(id);

    public static async Task<Results<Ok<WebhookDeliveryListResponse>, ValidationProblem, ProblemHttpResult>> ListWebhookDeliveries(
        string id,
        string? limit,
        string? cursor,
        HttpContext httpContext,
        IWebhookStore webhooks,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var size = PageQuery.ParseLimit(limit, errors);
        var before = PageQuery.ParseIdCursor(cursor, errors);
        if (!Guid.TryParse(id, out var endpointId))
        {
            return NotFound(id);
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var deliveries = await webhooks.DeliveryListAsync(httpContext.User.ToCaller().WorkspaceId, endpointId, size, before, cancellationToken);
        if (deliveries is null)
        {
            return NotFound(id);
        }

        var next = deliveries.Count == size ? deliveries[^1].Id.ToString() : null;
        return TypedResults.Ok(new WebhookDeliveryListResponse([.. deliveries.Select(WebhookDeliveryResponse.From)], next));
    }

    public static async Task<Results<Accepted<WebhookDeliveryResponse>, ProblemHttpResult>> RedeliverWebhook(
        string id, string deliveryId, HttpContext httpContext, IWebhookStore webhooks, CancellationToken cancellationToken)
    {
        var workspaceId = httpContext.User.ToCaller().WorkspaceId;
        if (!Guid.TryParse(id, out var endpointId) || await webhooks.EndpointGetAsync(workspaceId, endpointId, cancellationToken) is not { } endpoint)
        {
            return NotFound(id);
        }

        if (!endpoint.Enabled)
        {
            return ApiProblems.Problem(StatusCodes.Status409Conflict, "webhook_disabled", "The endpoint is disabled",
                $"Enable the endpoint first (PATCH enabled: true); it was disabled: {endpoint.DisabledReason}");
        }

        if (!Guid.TryParse(deliveryId, out var delivery)
            || await webhooks.DeliveryRedeliverAsync(workspaceId, endpointId, delivery, cancellationToken) is not { } redelivered)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "webhook_delivery_not_found", "Delivery not found",
                $"There is no delivery '{Shorten(deliveryId)}' of this endpoint.");
        }

        return TypedResults.Accepted($"/api/webhooks/{endpointId}/deliveries", WebhookDeliveryResponse.From(redelivered));
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static ProblemHttpResult NotFound(string id) =>
        ApiProblems.Problem(StatusCodes.Status404NotFound, "webhook_not_found", "Webhook not found",
            $"There is no webhook endpoint '{Shorten(id)}' in your workspace.");

    private static string Shorten(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
