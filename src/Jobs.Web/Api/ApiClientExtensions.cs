namespace Jobs.Web.Api;

public static class ApiClientExtensions
{
    /// <summary>
    /// An <see cref="HttpClient"/> for the API at <c>http://api</c>, resolved by service discovery from
    /// <c>services__api__http__0</c>. Until sign-in exists, the web acts as the demo workspace with its dev key.
    /// </summary>
    public static IHostApplicationBuilder AddJobsApiClient(this IHostApplicationBuilder builder)
    {
        var apiKey = builder.Configuration["JOBS_DEV_API_KEY"] is { Length: > 0 } key ? key : "jobs-dev-key";
        builder.Services.AddHttpClient<JobsApiClient>(client =>
        {
            client.BaseAddress = new Uri("http://api");
            client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        });
        return builder;
    }
}
