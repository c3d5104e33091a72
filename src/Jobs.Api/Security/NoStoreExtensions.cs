namespace Jobs.Api.Security;

/// <summary>Marks the endpoints whose answers carry a secret (a new API key, a session key, an invitation token).</summary>
public static class NoStoreExtensions
{
    /// <summary>
    /// <c>Cache-Control: no-store</c> on the endpoint's answers: no browser, proxy or CDN may keep a copy of a secret
    /// that is shown once.
    /// </summary>
    public static RouteHandlerBuilder WithNoStore(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(static (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return next(context);
        });
}
