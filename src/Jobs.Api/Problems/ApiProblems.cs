using Microsoft.AspNetCore.Http.HttpResults;

namespace Jobs.Api.Problems;

/// <summary>
/// RFC 9457 problems with a stable, machine-readable <c>code</c> (docs/api.md, "Errors"). Clients branch on the code;
/// the title and detail are for people.
/// </summary>
public static class ApiProblems
{
    public const string CodeKey = "code";

    public static ProblemHttpResult Problem(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { [CodeKey] = code };
        return TypedResults.Problem(detail, statusCode: status, title: title, type: $"https://jobs.local/problems/{code}", extensions: all);
    }

    public static ValidationProblem Validation(IDictionary<string, string[]> errors, string detail = "One or more fields are invalid.") =>
        TypedResults.ValidationProblem(errors, detail, title: "Invalid request", type: "https://jobs.local/problems/validation_failed",
            extensions: new Dictionary<string, object?> { [CodeKey] = "validation_failed" });

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// Another workspace's job answers exactly like a job that does not exist (docs/design.md, "Tenancy").
    /// </summary>
    public static ProblemHttpResult JobNotFound(string id) =>
        Problem(StatusCodes.Status404NotFound, "job_not_found", "Job not found",
            $"There is no job '{(id.Length <= 64 ? id : id[..64] + "…")}' in your workspace.");

    public static ProblemHttpResult InvalidTransition(Guid id, string status, string action) =>
        Problem(StatusCodes.Status409Conflict, "invalid_transition", $"Cannot {action} this job",
            $"Job {id} is {status}; {action} is not allowed from that status.",
            new Dictionary<string, object?> { ["jobStatus"] = status });
}
