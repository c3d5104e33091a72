using Microsoft.Extensions.Configuration;

namespace Jobs.AppHost.Development;

/// <summary>
/// The demo workspace's user and API key that the API seeds in Development. The AppHost hands them to the API
/// (<c>JOBS_DEV_API_KEY</c>, <c>JOBS_DEV_PASSWORD</c>), so what it prints and what its commands use are what the API
/// seeded. The defaults are the ones README and docs/operations.md give.
/// </summary>
public sealed record DemoAccount(string Email, string Password, string ApiKey)
{
    public const string ApiKeyVariable = "JOBS_DEV_API_KEY";
    public const string PasswordVariable = "JOBS_DEV_PASSWORD";

    public static DemoAccount FromConfiguration(IConfiguration configuration) => new(
        "demo@jobs.local",
        configuration[PasswordVariable] is { Length: > 0 } password ? password : "demo-password",
        configuration[ApiKeyVariable] is { Length: > 0 } key ? key : "jobs-dev-key");
}
