using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Templates;

namespace Jobs.Web.Api;

/// <summary>The workspace's job templates (<c>/api/templates</c>).</summary>
public sealed partial class JobsApiClient
{
    private static readonly JsonSerializerOptions WithoutNulls = new(JsonSerializerOptions.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The newest templates, as many as a page holds: enough for a picker.</summary>
    public async Task<IReadOnlyList<TemplateResponse>> ListTemplatesAsync(CancellationToken cancellationToken) =>
        (await SendAsync<TemplateListResponse>(HttpMethod.Get, "/api/templates?limit=200", null, cancellationToken)).Items;

    /// <returns>The template, or null when the workspace has no such template.</returns>
    public async Task<TemplateResponse?> GetTemplateAsync(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<TemplateResponse>(HttpMethod.Get, $"/api/templates/{id}", null, cancellationToken);
        }
        catch (ApiProblemException ex) when (ex.Problem.Status == StatusCodes.Status404NotFound)
        {
            return null;
        }
    }

    /// <exception cref="ApiProblemException">400 with the failing fields, 409 <c>template_name_taken</c>.</exception>
    public Task<TemplateResponse> CreateTemplateAsync(string name, SubmitJobRequest job, CancellationToken cancellationToken) =>
        SendAsync<TemplateResponse>(HttpMethod.Post, "/api/templates",
            Json(new TemplateRequest(name, job.Type, job.Payload, job.Priority, job.MaxAttempts, job.TimeoutSeconds)), cancellationToken);

    /// <exception cref="ApiProblemException">403 unless the user saved it or is an admin.</exception>
    public Task DeleteTemplateAsync(Guid id, CancellationToken cancellationToken) =>
        SendWithoutAnswerAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/templates/{id}"), cancellationToken);

    /// <summary>A job of <paramref name="type"/> with its type's default options.</summary>
    public Task<SubmitJobResponse> SubmitJobAsync(string type, JsonObject payload, string idempotencyKey, CancellationToken cancellationToken) =>
        SubmitJobAsync(new SubmitJobRequest(type, JsonSerializer.SerializeToElement(payload)), idempotencyKey, cancellationToken);
}
