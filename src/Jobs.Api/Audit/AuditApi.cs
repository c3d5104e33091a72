using System.Globalization;
using Jobs.Api.Auth;
using Jobs.Api.Paging;
using Jobs.Api.Problems;
using Jobs.Contracts.Audit;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Audit;

/// <summary>
/// The workspace's audit trail, for its admins: who invited, removed, promoted or signed out whom, who reset or changed
/// a password, who made or revoked an API key, and when. Newest first, paged by <c>cursor</c>.
/// </summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAuditApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", ListAuditEvents)
            .RequireAuthorization(CallerClaims.AdminPolicy)
            .WithTags("Audit")
            .WithName("ListAuditEvents")
            .WithSummary("The workspace's audit trail of identity changes, newest first (admin)");
        return app;
    }

    public static async Task<Results<Ok<AuditEventListResponse>, ValidationProblem>> ListAuditEvents(
        string? limit,
        string? cursor,
        HttpContext httpContext,
        IWorkspaceStore workspaces,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var size = PageQuery.ParseLimit(limit, errors);
        long? before = null;
        if (cursor is not null)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                before = id;
            }
            else
            {
                errors["cursor"] = ["is not a cursor this API returned."];
            }
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var events = await workspaces.AuditEventListAsync(httpContext.User.ToCaller().WorkspaceId, size, before, cancellationToken);
        var next = events.Count == size ? events[^1].Id.ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new AuditEventListResponse([.. events.Select(AuditEventResponse.From)], next));
    }
}
