using Jobs.Contracts.Templates;

namespace Jobs.Client;

/// <summary>The workspace's job templates (<c>/api/templates</c>; docs/api.md, "Templates").</summary>
public sealed partial class JobsClient
{
    /// <summary>One page of templates, newest first.</summary>
    public Task<TemplateListResponse> ListTemplatesAsync(int? limit = null, string? cursor = null, CancellationToken cancellationToken = default) =>
        ReadAsync<TemplateListResponse>(WithQuery("api/templates", ("limit", limit), ("cursor", cursor)), cancellationToken);

    /// <returns>The template, or null when the workspace has no such template.</returns>
    public Task<TemplateResponse?> GetTemplateAsync(Guid id, CancellationToken cancellationToken = default) =>
        OrNullAsync(ReadAsync<TemplateResponse>($"api/templates/{id}", cancellationToken));

    /// <exception cref="JobsValidationException">The failing fields.</exception>
    /// <exception cref="JobsConflictException"><c>template_name_taken</c>.</exception>
    public Task<TemplateResponse> CreateTemplateAsync(TemplateRequest template, CancellationToken cancellationToken = default) =>
        SendAsync<TemplateResponse>(HttpMethod.Post, "api/templates", template, cancellationToken);

    /// <exception cref="JobsApiException">403 unless the caller saved it or is an admin.</exception>
    public Task DeleteTemplateAsync(Guid id, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"api/templates/{id}", null, cancellationToken);
}
