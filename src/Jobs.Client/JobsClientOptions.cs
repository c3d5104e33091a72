namespace Jobs.Client;

/// <summary>
/// Where the API is and the key to call it with (docs/api.md, ".NET client"). Bound from <c>Jobs:Client</c> by
/// <c>AddJobsClient("api")</c>.
/// </summary>
public sealed class JobsClientOptions
{
    public const string Section = "Jobs:Client";

    /// <summary>The workspace's API key, sent as <c>X-Api-Key</c> on every request and on the hub's connection.</summary>
    public string ApiKey { get; set; } = "";

    /// <summary>The API's address; <c>AddJobsClient("api")</c> sets <c>http://api</c>, which service discovery resolves.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>How a watch follows a job: the hub with Server-Sent Events as its fallback (<c>Auto</c>), or only one of them.</summary>
    public WatchTransport Transport { get; set; } = WatchTransport.Auto;
}
