namespace Jobs.Web.Api;

/// <summary>A job's dependencies (<c>/api/jobs/{id}/dependencies</c> and <c>/dependents</c>).</summary>
public sealed partial class JobsApiClient
{
    public Task<JobDependenciesView> GetJobDependenciesAsync(Guid id, CancellationToken cancellationToken) =>
        SendAsync<JobDependenciesView>(HttpMethod.Get, $"/api/jobs/{id}/dependencies", null, cancellationToken);

    public Task<JobDependentsPage> ListJobDependentsAsync(Guid id, int limit, CancellationToken cancellationToken) =>
        SendAsync<JobDependentsPage>(HttpMethod.Get, $"/api/jobs/{id}/dependents?limit={limit}", null, cancellationToken);
}

/// <summary>Another job a job waits for, or that waits for it.</summary>
public sealed record JobLinkView(Guid Id, string Type, string Status);

/// <summary>What a job waits for; <see cref="WaitingFor"/> of them have not finished.</summary>
public sealed record JobDependenciesView(IReadOnlyList<JobLinkView> Items, int WaitingFor, string OnDependencyFailure);

public sealed record JobDependentsPage(IReadOnlyList<JobLinkView> Items, string? NextCursor);
