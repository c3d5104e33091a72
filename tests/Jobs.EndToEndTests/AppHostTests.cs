using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting.ApplicationModel;
using Jobs.EndToEndTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using static Microsoft.Playwright.Assertions;

namespace Jobs.EndToEndTests;

/// <summary>
/// The AppHost as Aspire runs it (the topology every browser test uses): its resources as the dashboard shows them,
/// and the dashboard commands a developer clicks, each invoked through Aspire's own command service.
/// </summary>
public sealed partial class AppHostTests(Topology topology)
{
    [Fact]
    public async Task EveryResource_IsRunningAndHealthy_TheWorkerWithTwoReplicas()
    {
        var notifications = topology.App.Services.GetRequiredService<ResourceNotificationService>();

        // A watch starts with every resource's latest state, one per instance (each worker replica has its own id).
        var latest = new Dictionary<string, ResourceEvent>();
        using var enough = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await foreach (var update in notifications.WatchAsync(enough.Token))
            {
                latest[update.ResourceId] = update;
            }
        }
        catch (OperationCanceledException) when (enough.IsCancellationRequested)
        {
            // The replay is over; nothing else was expected.
        }

        // What the dashboard lists: Aspire's hidden helpers (such as each project's rebuilder) and parameters aside.
        var resources = latest.Values.Where(e => e.Resource is not ParameterResource && !e.Snapshot.IsHidden).ToList();
        resources.Select(e => e.Resource.Name).Distinct().Order().ShouldBe(["api", "billing", "invoicing-worker", "jobsdb", "postgres", "redis", "web", "worker"]);
        resources.Count(e => e.Resource.Name == "worker").ShouldBe(2);
        foreach (var resource in resources)
        {
            resource.Snapshot.State?.Text.ShouldBe(KnownResourceStates.Running, resource.ResourceId);
            resource.Snapshot.HealthStatus.ShouldBe(HealthStatus.Healthy, resource.ResourceId);
        }
    }

    [Fact]
    public async Task SubmitDemoJobsCommand_SubmitsTenJobsToTheDemoWorkspace_WhichComplete()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);

        var result = await ExecuteAsync("api", "submit-demo-jobs");

        result.Success.ShouldBeTrue(result.Message);
        using var body = JsonDocument.Parse(result.Data!.Value);
        var ids = body.RootElement.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").GetGuid()).ToList();
        ids.Count.ShouldBe(10);
        foreach (var id in ids)
        {
            // Read as the demo user: the command's jobs are in that workspace.
            (await api.WaitForTerminalAsync(id)).GetProperty("status").GetString().ShouldBe("completed");
        }
    }

    [Fact]
    public async Task SignInLinkCommand_GivesALinkThatSignsABrowserInOnce()
    {
        var result = await ExecuteAsync("web", "sign-in-link");

        result.Success.ShouldBeTrue(result.Message);
        result.Data!.Format.ShouldBe(CommandResultFormat.Markdown);
        var link = MarkdownLink().Match(result.Data.Value).Groups[1].Value;
        link.ShouldStartWith(topology.WebUrl.ToString().TrimEnd('/') + "/signin/link?code=");
        // No key or password in what the dashboard shows.
        result.Data.Value.ShouldNotContain(topology.Password);

        await using (var first = await BrowserSession.OpenAsync(topology))
        {
            await first.Page.GotoAsync(link);
            await Expect(first.Page.GetByTestId("workspace-name")).ToContainTextAsync("demo");
        }

        await using var second = await BrowserSession.OpenAsync(topology);
        await second.Page.GotoAsync(link);
        await Expect(second.Page.GetByTestId("signin-error")).ToContainTextAsync("already used or has expired");

        // Without the AppHost's secret the endpoint is not there, even with the right password.
        using var http = new HttpClient { BaseAddress = topology.WebUrl };
        using var refused = await http.PostAsJsonAsync("/signin/link", new { email = Topology.DemoEmail, password = topology.Password });
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SendInvoiceCommand_TheSamplesServiceSubmitsThroughTheClient_AndTheTeamsWorkerRendersIt_ShownWithItsOwnTitleAndStages()
    {
        var api = await topology.ApiAsync(Topology.DemoEmail);

        var result = await ExecuteAsync("billing", "send-invoice");

        result.Success.ShouldBeTrue(result.Message);
        using var body = JsonDocument.Parse(result.Data!.Value);
        var id = body.RootElement.GetProperty("jobId").GetGuid();
        var job = await api.WaitForTerminalAsync(id);
        job.GetProperty("status").GetString().ShouldBe("completed", job.GetProperty("error").ToString());
        job.GetProperty("queue").GetString().ShouldBe("invoices");

        await using var session = await BrowserSession.SignedInAsync(topology, Topology.DemoEmail);
        await session.Page.GotoAsync($"/jobs/{id}");
        await Expect(session.Page.GetByTestId("job-title")).ToHaveTextAsync("Invoice PDF");
        await Expect(session.Page.GetByTestId("job-metrics")).ToContainTextAsync("Pages");
        await Expect(session.Page.GetByTestId("job-timeline")).ToContainTextAsync("Rendering the pages");
        // The result names the PDF it stored, so the page offers it; the web streams it from the API.
        var download = session.Page.GetByTestId("result-download");
        await Expect(download).ToContainTextAsync(".pdf");
        var pdf = await session.Page.APIRequest.GetAsync(new Uri(new Uri(session.Page.Url), await download.GetAttributeAsync("href")).ToString());
        pdf.Headers["content-type"].ShouldBe("application/pdf");
        (await pdf.BodyAsync()).Take(5).ShouldBe("%PDF-"u8.ToArray());
        await session.ScreenshotAsync("invoice-job-page");
    }

    private Task<ExecuteCommandResult> ExecuteAsync(string resource, string command)
    {
        var model = topology.App.Services.GetRequiredService<DistributedApplicationModel>();
        return topology.App.Services.GetRequiredService<ResourceCommandService>()
            .ExecuteCommandAsync(model.Resources.Single(r => r.Name == resource), command, TestContext.Current.CancellationToken);
    }

    [GeneratedRegex(@"\]\((http[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
