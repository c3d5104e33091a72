namespace Jobs.Contracts.Webhooks;

/// <summary>The events an endpoint may subscribe to: a job's final outcomes, named <c>job.</c> + its final status.</summary>
public static class WebhookEvents
{
    public const string JobCompleted = "job.completed";
    public const string JobFailed = "job.failed";
    public const string JobCancelled = "job.cancelled";

    public static readonly IReadOnlyList<string> All = [JobCompleted, JobFailed, JobCancelled];

    public static bool IsValid(string? name) => name is JobCompleted or JobFailed or JobCancelled;
}

/// <summary>A delivery's <c>status</c>.</summary>
public static class WebhookDeliveryStatuses
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
