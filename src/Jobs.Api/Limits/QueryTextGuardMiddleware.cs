using Jobs.Api.Problems;

namespace Jobs.Api.Limits;

/// <summary>
/// A NUL character cannot be stored or compared in PostgreSQL text, which refuses it with an error: in a query
/// parameter (a filter, a search, a cursor) it would reach a query and fail there. It is refused here instead, with
/// 400 naming the parameter, before any endpoint runs. Kestrel already refuses one in the path; bodies have their own
/// checks.
/// </summary>
public sealed class QueryTextGuardMiddleware(RequestDelegate next)
{
    private const string Message = "must not contain a NUL character.";

    public async Task InvokeAsync(HttpContext context)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (name, values) in context.Request.Query)
        {
            if (name.Contains('\0') || values.Any(v => v?.Contains('\0') == true))
            {
                errors[name.Replace("\0", "\\0", StringComparison.Ordinal)] = [Message];
            }
        }

        if (errors.Count > 0)
        {
            await ApiProblems.Validation(errors).ExecuteAsync(context);
            return;
        }

        await next(context);
    }
}
