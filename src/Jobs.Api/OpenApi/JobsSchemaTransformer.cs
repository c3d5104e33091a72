using System.Text.Json;
using System.Text.Json.Nodes;
using Jobs.Contracts.Jobs;
using Jobs.Core.Identity;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Jobs.Api.OpenApi;

/// <summary>
/// Types as a client should see them: a payload, result or metrics member takes any JSON (not a .NET
/// <c>JsonElement</c> object), a job's status is one of the five statuses and a role one of the two, and a member a
/// request body must have is
/// not nullable (the records say <c>string?</c> only so that a missing member is a field error the API can name).
/// </summary>
public sealed class JobsSchemaTransformer : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type == typeof(JsonElement))
        {
            // Any JSON value: no type, no properties.
            schema.Type = null;
            schema.Properties?.Clear();
            schema.Description ??= "Any JSON value.";
        }

        // The job records' status (a job, a submit's answer, a timeline entry); the live update's has always been
        // described as a plain string, and the committed document is what generated clients follow.
        if (context.JsonPropertyInfo is { Name: "status", PropertyType: var propertyType, DeclaringType: var declaring }
            && propertyType == typeof(string)
            && declaring.Namespace == typeof(JobResponse).Namespace
            && declaring != typeof(JobUpdate))
        {
            schema.Enum = [.. JobStatus.All.Select(s => (JsonNode)JsonValue.Create(s))];
        }

        // Why a pending job waits (docs/design.md, "Pausing"): one of a fixed set, or null.
        if (context.JsonPropertyInfo is { Name: "waitingReason", DeclaringType: var reasonOwner } && reasonOwner == typeof(JobResponse))
        {
            schema.Enum = [.. JobWaitingReason.All.Select(s => (JsonNode)JsonValue.Create(s)), null!];
        }

        if (context.JsonPropertyInfo is { Name: "role", PropertyType: var roleType } && roleType == typeof(string))
        {
            schema.Enum = [JsonValue.Create(WorkspaceRoles.Member), JsonValue.Create(WorkspaceRoles.Admin)];
        }

        if (type.Name.EndsWith("Request", StringComparison.Ordinal) && schema.Required is { Count: > 0 } required && schema.Properties is { } properties)
        {
            foreach (var name in required)
            {
                if (properties.TryGetValue(name, out var property) && property is OpenApiSchema member)
                {
                    NotNull(member);
                }
            }
        }

        return Task.CompletedTask;
    }

    private static void NotNull(OpenApiSchema member)
    {
        if (member.Type is { } given && given.HasFlag(JsonSchemaType.Null))
        {
            member.Type = given & ~JsonSchemaType.Null;
        }

        if (member.OneOf is { Count: > 0 } choices)
        {
            var nullChoice = choices.OfType<OpenApiSchema>().FirstOrDefault(c => c.Type == JsonSchemaType.Null);
            if (nullChoice is not null)
            {
                choices.Remove(nullChoice);
            }
        }
    }
}
