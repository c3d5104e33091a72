using Microsoft.Extensions.Options;

namespace Jobs.Web.Security;

/// <summary>
/// Lets only pages of the UI open its interactive connection (<c>/_blazor</c>: negotiate, the WebSocket and the
/// long-polling fallback): a request whose <c>Origin</c> is neither the UI's own (the scheme and host it was asked
/// at) nor one of <see cref="WebOptions.AllowedOrigins"/> gets 403. The connection is the signed-in user's whole UI
/// (whoever drives it can create an API key and read it), and the session cookie alone does not tell who opened it:
/// a page on another port of this host, or on a sibling subdomain, is the same site, and the browser sends it the cookie.
/// </summary>
/// <remarks>
/// A request without <c>Origin</c> passes. Browsers send it with every WebSocket handshake and every request from
/// another origin, so it is missing only on same-origin reads (the long-polling fallback) and from non-browser
/// clients, which do not hold a user's cookie.
/// </remarks>
public sealed class CircuitOriginCheck(RequestDelegate next, IOptions<WebOptions> options, ILogger<CircuitOriginCheck> logger)
{
    /// <summary>Where Blazor maps the interactive connection.</summary>
    public static readonly PathString CircuitPath = "/_blazor";

    private readonly HashSet<string> allowed = new(options.Value.AllowedOrigins.Select(WebOptions.NormalizeOrigin), StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(CircuitPath) || IsAllowed(request))
        {
            await next(context);
            return;
        }

        logger.LogWarning("Refused {Method} {Path} from origin {Origin}: not the UI's own", request.Method, request.Path, request.Headers.Origin.ToString());
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync("This origin may not open the UI's connection.", context.RequestAborted);
    }

    private bool IsAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            || string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
            || allowed.Contains(origin);
    }
}
