namespace Jobs.Api.Security;

/// <summary>
/// Headers on every answer of the API, problems and errors included (set as the response starts, so that the exception
/// handler's reset of the headers cannot drop them): browsers must take a JSON answer for what its type says, never
/// sniff it into HTML, and must not pass the API's URLs on as a referrer.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
