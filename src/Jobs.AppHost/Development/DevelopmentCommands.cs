using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;

namespace Jobs.AppHost.Development;

/// <summary>
/// Buttons in the dashboard for a developer at work, each a real call to a running service: the API takes demo jobs
/// as any client would, and the web mints a one-time link that signs a browser in as the demo user.
/// </summary>
public static class DevelopmentCommands
{
    private const int DemoJobCount = 10;

    /// <summary>The API seeds the demo workspace with this account (Development only).</summary>
    public static IResourceBuilder<ProjectResource> WithDemoAccount(this IResourceBuilder<ProjectResource> api, DemoAccount demo) =>
        api.WithEnvironment(DemoAccount.ApiKeyVariable, demo.ApiKey)
            .WithEnvironment(DemoAccount.PasswordVariable, demo.Password);

    /// <summary>
    /// "Submit demo jobs": <c>POST /api/jobs/batch</c> with the demo key, ten <c>demo</c> jobs of a few seconds each,
    /// so there is something to watch in the UI and a trace per job in the dashboard.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSubmitDemoJobsCommand(this IResourceBuilder<ProjectResource> api, DemoAccount demo) =>
        api.WithHttpCommand("/api/jobs/batch", $"Submit {DemoJobCount} demo jobs", commandName: "submit-demo-jobs", commandOptions: new HttpCommandOptions
        {
            Method = HttpMethod.Post,
            Description = $"Submits {DemoJobCount} demo jobs to the demo workspace with its API key, as any client would.",
            IconName = "Play",
            PrepareRequest = context =>
            {
                context.Request.Headers.Add("X-Api-Key", demo.ApiKey);
                context.Request.Content = JsonContent.Create(new
                {
                    jobs = Enumerable.Range(1, DemoJobCount).Select(i => new { type = "demo", payload = new { items = 5 + i, delayMs = 300 } }),
                });
                return Task.CompletedTask;
            },
            GetCommandResult = async context =>
            {
                var body = await context.Response.Content.ReadAsStringAsync(context.CancellationToken);
                return context.Response.IsSuccessStatusCode
                    ? CommandResults.Success($"Submitted {DemoJobCount} demo jobs", body, CommandResultFormat.Json)
                    : CommandResults.Failure($"The API answered {(int)context.Response.StatusCode}", body, CommandResultFormat.Json);
            },
        });

    /// <summary>
    /// "Sign in as demo": the web (which gets a fresh secret for this on every run) signs in through the API and
    /// answers with a link that works once, for two minutes; the dashboard shows it.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSignInLinkCommand(this IResourceBuilder<ProjectResource> web, DemoAccount demo)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return web.WithEnvironment("Jobs__Web__SignInLinkSecret", secret)
            .WithHttpCommand("/signin/link", $"Sign in as {demo.Email}", commandName: "sign-in-link", commandOptions: new HttpCommandOptions
            {
                Method = HttpMethod.Post,
                Description = $"A link that opens the UI signed in as {demo.Email}: it works once, for two minutes.",
                IconName = "PersonArrowRight",
                IsHighlighted = true,
                PrepareRequest = context =>
                {
                    context.Request.Headers.Add("X-Sign-In-Link-Secret", secret);
                    context.Request.Content = JsonContent.Create(new { email = demo.Email, password = demo.Password });
                    return Task.CompletedTask;
                },
                GetCommandResult = async context =>
                {
                    if (!context.Response.IsSuccessStatusCode)
                    {
                        return CommandResults.Failure($"The web answered {(int)context.Response.StatusCode}: is {demo.Email}'s password the one the API seeded?");
                    }

                    using var answer = JsonDocument.Parse(await context.Response.Content.ReadAsStringAsync(context.CancellationToken));
                    var link = new Uri(new Uri(context.Endpoint.Url), answer.RootElement.GetProperty("path").GetString());
                    return CommandResults.Success(
                        $"Sign-in link for {demo.Email}",
                        $"[Open the UI signed in as {demo.Email}]({link})\n\nThe link works once, for two minutes.",
                        CommandResultFormat.Markdown,
                        displayImmediately: true);
                },
            });
    }
}
