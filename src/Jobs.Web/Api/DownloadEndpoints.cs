using Jobs.Client;
using Jobs.Web.Auth;
using Microsoft.Net.Http.Headers;

namespace Jobs.Web.Api;

/// <summary>
/// Downloads through the web: the browser holds only the session cookie, so these endpoints call the API with the
/// signed-in user's key and stream the answer back without buffering it.
/// </summary>
public static class DownloadEndpoints
{
    public const string ClientName = "api-downloads";

    public static string CampaignLeadsUrl(Guid campaignId) => $"/download/campaigns/{campaignId}/leads.csv";

    public static string JobFileUrl(Guid jobId, string name) => $"/download/jobs/{jobId}/files/{Uri.EscapeDataString(name)}";

    public static IEndpointRouteBuilder MapDownloadEndpoints(this IEndpointRouteBuilder app)
    {
        var downloads = app.MapGroup("/download").RequireAuthorization();
        downloads.MapGet("/campaigns/{id:guid}/leads.csv", (Guid id, HttpContext context, IHttpClientFactory factory) =>
            ProxyAsync(context, factory, $"/api/campaigns/{id}/leads.csv", $"campaign-{id.ToString()[..8]}-leads.csv"));
        downloads.MapGet("/jobs/{id:guid}/files/{name}", (Guid id, string name, HttpContext context, IHttpClientFactory factory) =>
            ProxyAsync(context, factory, $"/api/jobs/{id}/files/{Uri.EscapeDataString(name)}", name));
        return app;
    }

    private static async Task ProxyAsync(HttpContext context, IHttpClientFactory factory, string path, string fileName)
    {
        if (SessionClaims.ApiKeyOf(context.User) is not { } apiKey)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var http = factory.CreateClient(ClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(JobsClient.ApiKeyHeader, apiKey);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            // The key behind the cookie expired or was revoked: sign in again, then come back for the file.
            context.Response.Redirect(AccountEndpoints.SignInUrl(context.Request.Path, expired: true));
            return;
        }

        if (!response.IsSuccessStatusCode)
        {
            // 404 for another workspace's campaign or file; the status page says so.
            context.Response.StatusCode = (int)response.StatusCode;
            return;
        }

        context.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "text/csv";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(fileName);
        context.Response.Headers.ContentDisposition = disposition.ToString();
        if (response.Content.Headers.ContentLength is { } length)
        {
            context.Response.ContentLength = length;
        }

        await using var body = await response.Content.ReadAsStreamAsync(context.RequestAborted);
        await body.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
}
