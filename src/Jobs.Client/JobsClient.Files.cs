namespace Jobs.Client;

public sealed partial class JobsClient
{
    /// <summary>
    /// A file a job stored (<c>GET /api/jobs/{id}/files/{name}</c>), as a stream read from the API as it is consumed;
    /// the caller disposes it.
    /// </summary>
    /// <exception cref="JobsNotFoundException">No such job in the workspace, or the job has no such file.</exception>
    public async Task<Stream> OpenJobFileAsync(Guid jobId, string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/jobs/{jobId}/files/{Uri.EscapeDataString(name)}");
        request.Headers.TryAddWithoutValidation(ApiKeyHeader, apiKey);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await JobsApiException.FromResponseAsync(response, cancellationToken);
            }
        }

        return await response.Content.ReadAsStreamAsync(cancellationToken);
    }
}
