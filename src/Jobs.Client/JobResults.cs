using System.Text.Json;
using Jobs.Contracts.Jobs;

namespace Jobs.Client;

/// <summary>Reading what a job produced as the caller's own type.</summary>
public static class JobResults
{
    /// <summary>
    /// The completed job's result as <typeparamref name="T"/>. A job that has not completed has no result to read, and
    /// asking for one is a mistake worth hearing about rather than a default value.
    /// </summary>
    /// <exception cref="InvalidOperationException">The job is not completed.</exception>
    public static T? GetResult<T>(this JobResponse job, JsonSerializerOptions? options = null)
    {
        if (job.Status != JobStatus.Completed)
        {
            throw new InvalidOperationException($"Job {job.Id} is {job.Status}; only a completed job has a result.");
        }

        return job.Result is { ValueKind: not JsonValueKind.Null } result
            ? result.Deserialize<T>(options ?? JsonSerializerOptions.Web)
            : default;
    }
}
