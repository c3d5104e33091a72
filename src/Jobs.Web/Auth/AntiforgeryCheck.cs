using Microsoft.AspNetCore.Antiforgery;

namespace Jobs.Web.Auth;

/// <summary>
/// Makes a minimal-API endpoint refuse a request without a valid antiforgery token. <c>UseAntiforgery</c> only
/// validates and records the outcome; Razor component forms and endpoints that bind a form act on it, but an endpoint
/// that reads no form (sign-out) would run anyway, so a cross-site form could sign the user out.
/// </summary>
public sealed class AntiforgeryCheck : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
        {
            // No feature at all means the middleware did not run for this endpoint: refuse rather than trust it.
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Missing or invalid antiforgery token",
                extensions: new Dictionary<string, object?> { ["code"] = "antiforgery_failed" });
        }

        return await next(context);
    }
}
