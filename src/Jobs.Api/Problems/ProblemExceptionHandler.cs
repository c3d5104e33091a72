using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Jobs.Api.Problems;

/// <summary>
/// Turns what reaches the pipeline as an exception into problem details: unreadable requests (malformed JSON, wrong
/// content type, a body over the size limit) keep their 4xx status with a precise reason; anything else is a 500
/// that says nothing internal.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, title, detail) = exception switch
        {
            BadHttpRequestException { InnerException: JsonException json } =>
                (400, "malformed_json", "The request body is not valid JSON for this endpoint", Describe(json)),
            BadHttpRequestException { StatusCode: 413 } bad =>
                (413, "payload_too_large", "The request body is too large", bad.Message),
            BadHttpRequestException { StatusCode: 415 } bad =>
                (415, "unsupported_media_type", "Send application/json", bad.Message),
            BadHttpRequestException bad =>
                (bad.StatusCode, "bad_request", "The request could not be read", bad.Message),
            // The database is overloaded or restarting: nothing was written that the client cannot retry.
            Npgsql.NpgsqlException { IsTransient: true } or Npgsql.PostgresException { SqlState: "53300" or "57P03" } =>
                (503, "database_unavailable", "The database is busy", "Try again shortly."),
            _ => (500, "internal_error", "Something went wrong on our side", "The error was logged."),
        };

        if (status == 503)
        {
            logger.LogWarning("Database unavailable on {Method} {Path}: {Message}", httpContext.Request.Method, httpContext.Request.Path, exception.Message);
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Unhandled exception on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = status;
        if (status == 503)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = status,
                Title = title,
                Detail = detail,
                Type = $"https://jobs.local/problems/{code}",
                Extensions = { [ApiProblems.CodeKey] = code },
            },
        });
    }

    private static string Describe(JsonException json) =>
        json.Path is { Length: > 0 } path
            ? $"Invalid JSON at {path} (line {json.LineNumber + 1}, byte {json.BytePositionInLine}): {FirstSentence(json.Message)}"
            : FirstSentence(json.Message);

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". Path:", StringComparison.Ordinal);
        return end > 0 ? message[..(end + 1)] : message;
    }
}
