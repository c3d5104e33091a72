using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jobs.Web.Api;

/// <summary>An RFC 9457 problem from the API: clients branch on <see cref="Code"/>; the rest is for people.</summary>
public sealed record ApiProblem(int Status, string? Code, string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    /// <summary>Reads a failed response; one that is not problem JSON (a proxy's page, say) becomes a bare problem.</summary>
    public static async Task<ApiProblem> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        try
        {
            var body = await response.Content.ReadFromJsonAsync<Body>(JsonSerializerOptions.Web, cancellationToken);
            if (body is not null)
            {
                return new ApiProblem(status, body.Code, body.Title, body.Detail, body.Errors ?? []);
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not problem JSON: fall through to the status line.
        }

        return new ApiProblem(status, null, response.ReasonPhrase ?? ((HttpStatusCode)status).ToString(), null, new Dictionary<string, string[]>());
    }

    /// <summary>What to tell a person: the detail when there is one.</summary>
    public string Message => Detail ?? Title ?? $"The API answered {Status}.";

    private sealed record Body(string? Code, string? Title, string? Detail, Dictionary<string, string[]>? Errors);
}
