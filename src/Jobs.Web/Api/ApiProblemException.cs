namespace Jobs.Web.Api;

/// <summary>The API refused a request (4xx or 5xx); <see cref="Problem"/> says why.</summary>
public sealed class ApiProblemException(ApiProblem problem)
    : Exception($"The API answered {problem.Status} {problem.Code}: {problem.Message}")
{
    public ApiProblem Problem { get; } = problem;
}
