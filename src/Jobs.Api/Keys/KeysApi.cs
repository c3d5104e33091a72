using Jobs.Api.Auth;
using Jobs.Api.Problems;
using Jobs.Api.Security;
using Jobs.Contracts.Keys;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Keys;

/// <summary>
/// The workspace's named API keys, for its admins: list them (prefix, never the key), make one (the key is shown once)
/// and revoke one, which stops it on every API instance at once (<see cref="ApiKeyCache"/>).
/// </summary>
public static class KeysApi
{
    public const int MaxNameLength = 100;

    public static RouteGroupBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/keys")
            .RequireAuthorization(CallerClaims.AdminPolicy)
            .WithTags("Keys");

        api.MapGet("", ListKeys)
            .WithName("ListKeys")
            .WithSummary("The workspace's API keys with prefix, last use and revocation (admin)");
        api.MapPost("", CreateKey)
            .WithNoStore()
            .WithName("CreateKey")
            .WithSummary("Make a named API key; the key is in this response only (admin)");
        api.MapDelete("/{id}", RevokeKey)
            .WithName("RevokeKey")
            .WithSummary("Revoke an API key; it answers 401 from its next request on (admin)");
        return api;
    }

    public static async Task<Ok<KeyListResponse>> ListKeys(HttpContext httpContext, IWorkspaceStore workspaces, CancellationToken cancellationToken)
    {
        var caller = httpContext.User.ToCaller();
        var keys = await workspaces.ApiKeyListAsync(caller.WorkspaceId, cancellationToken);
        return TypedResults.Ok(new KeyListResponse(keys.Select(KeyResponse.From).ToList()));
    }

    public static async Task<Results<Created<CreatedKeyResponse>, ValidationProblem>> CreateKey(
        CreateKeyRequest? request,
        HttpContext httpContext,
        IWorkspaceStore workspaces,
        CancellationToken cancellationToken)
    {
        var name = request?.Name?.Trim();
        var errors = new Dictionary<string, string[]>();
        UnknownFields.Check(request?.Unknown, "", errors);
        if (string.IsNullOrEmpty(name))
        {
            errors["name"] = ["is required."];
        }
        else if (name.Length > MaxNameLength)
        {
            errors["name"] = [$"must be at most {MaxNameLength} characters."];
        }

        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors);
        }

        var created = await workspaces.ApiKeyCreateAsync(httpContext.User.ToCaller(), name!, cancellationToken);
        var key = created.Key;
        return TypedResults.Created("/api/keys", new CreatedKeyResponse(key.Id, key.Name, key.Prefix, key.CreatedAt, created.PlainKey));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> RevokeKey(
        string id,
        HttpContext httpContext,
        IWorkspaceStore workspaces,
        ApiKeyCache keys,
        CancellationToken cancellationToken)
    {
        var caller = httpContext.User.ToCaller();
        if (!Guid.TryParse(id, out var keyId) || await workspaces.ApiKeyRevokeByIdAsync(caller, keyId, cancellationToken) is not { } hash)
        {
            return ApiProblems.Problem(StatusCodes.Status404NotFound, "api_key_not_found", "API key not found",
                $"There is no API key '{(id.Length <= 64 ? id : id[..64] + "…")}' in your workspace.");
        }

        await keys.EvictAsync(hash);
        return TypedResults.NoContent();
    }
}
