namespace Jobs.Web.Security;

/// <summary>
/// Headers on every answer of the web (set as the response starts, so that error pages get them too):
/// <list type="bullet">
/// <item><c>X-Content-Type-Options: nosniff</c>: a download or an upload's echo is never sniffed into HTML.</item>
/// <item><c>Referrer-Policy: same-origin</c>: the UI's addresses (an invitation link carries its token) never reach
/// another site as a referrer.</item>
/// <item>A <c>Content-Security-Policy</c> that allows what Blazor Server and MudBlazor need and nothing else
/// (<see cref="ContentSecurityPolicy"/>).</item>
/// <item><c>Cache-Control: no-store</c> on every answer that sets no caching of its own (pages, redirects,
/// downloads): what a signed-in user saw must not stay in a shared browser's cache. Static files keep theirs.</item>
/// </list>
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    /// <summary>
    /// Scripts only from the UI's own files (Blazor's and MudBlazor's; no inline script, no eval); styles from its
    /// files and inline, because MudBlazor writes its theme as a <c>&lt;style&gt;</c> element and sizes components
    /// with <c>style</c> attributes; images and fonts from its files and <c>data:</c> URLs (MudBlazor's stylesheet
    /// embeds some); connections (the interactive WebSocket) to itself; no plugins, no foreign <c>&lt;base&gt;</c>,
    /// forms post only to the UI, and no page may frame it.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            if (string.IsNullOrEmpty(headers.CacheControl))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
