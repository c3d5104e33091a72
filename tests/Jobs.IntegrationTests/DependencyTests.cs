using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// Job dependencies over HTTP with real workers (docs/api.md, "Dependencies"): dependents wait, run when what they
/// wait for has completed, and are cancelled down the chain when it fails; bad references are refused, never a 500.
/// </summary>
public sealed class DependencyTests(Servers servers)
{
    private static object Demo(object? dependsOn = null, int failAttempts = 0, string? onDependencyFailure = null, string? @ref = null) =>
        new { type = "demo", payload = new { items = 1, delayMs = 0, failAttempts }, maxAttempts = 1, dependsOn, onDependencyFailure, @ref };

    [Fact]
    public async Task A_chain_with_a_failure_in_the_middle_runs_the_first_and_cancels_the_last()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = cluster.Client;
        var a = await client.SubmitAsync(Demo());
        var b = await client.SubmitAsync(Demo(dependsOn: new[] { a }, failAttempts: 1));
        var c = await client.SubmitAsync(Demo(dependsOn: new[] { b }));

        var waiting = await client.GetJobAsync(c);
        (waiting.Status, waiting.WaitingFor).ShouldBe(("pending", 1));
        waiting.DependsOn.ShouldBe([b]);

        // Followed live from before anything ran: the trigger's cancellation of C is published too, which ends the stream.
        using var response = await EventStreamReader.OpenAsync(client, c);
        using var stream = new EventStreamReader(await response.Content.ReadAsStreamAsync());
        (await stream.ReadAsync(TimeSpan.FromSeconds(5)))!.Json.GetProperty("status").GetString().ShouldBe("pending");

        await cluster.StartWorkerAsync();
        await client.WaitForStatusAsync(a, "completed");
        await client.WaitForStatusAsync(b, "failed");
        var cancelled = await client.WaitForStatusAsync(c, "cancelled");
        var heard = await NextEventAsync(stream);
        (heard.GetProperty("status").GetString(), heard.GetProperty("error").GetString()).ShouldBe(("cancelled", $"dependency {b} failed"));
        (await stream.ReadAsync(TimeSpan.FromSeconds(5))).ShouldBeNull();

        cancelled.Error.ShouldBe($"dependency {b} failed");
        (await client.GetTimelineAsync(b)).Kinds().ShouldContain("dependencies_met");
        var last = (await client.GetTimelineAsync(c))[^1];
        (last.Kind, last.Message).ShouldBe(("cancelled", $"dependency {b} failed"));
        var dependents = await client.GetFromJsonAsync<JsonElement>($"/api/jobs/{a}/dependents");
        dependents.GetProperty("items").EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(b);
    }

    /// <summary>The next event's job, past heartbeats.</summary>
    private static async Task<JsonElement> NextEventAsync(EventStreamReader stream)
    {
        while (true)
        {
            var item = (await stream.ReadAsync(TimeSpan.FromSeconds(10))).ShouldNotBeNull("the stream ended before the next event");
            if (item.Comment is null)
            {
                return item.Json;
            }
        }
    }

    [Fact]
    public async Task A_fan_in_batch_runs_the_export_after_all_ten_tags()
    {
        await using var cluster = await TestCluster.StartAsync(servers);
        var items = Enumerable.Range(0, 10).Select(i => Demo(@ref: $"tag-{i}"))
            .Append(Demo(dependsOn: Enumerable.Range(0, 10).Select(i => $"ref:tag-{i}").ToArray()))
            .ToArray();

        var (status, body) = await cluster.Client.PostAsync("/api/jobs/batch", new { jobs = items });

        status.ShouldBe(HttpStatusCode.Accepted);
        var ids = body.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("jobId").GetGuid()).ToArray();
        var export = await cluster.Client.WaitForStatusAsync(ids[^1], "completed");
        foreach (var tag in ids[..^1])
        {
            var done = await cluster.Client.GetJobAsync(tag);
            done.CompletedAt!.Value.ShouldBeLessThanOrEqualTo(export.StartedAt!.Value);
        }

        var dependencies = await cluster.Client.GetFromJsonAsync<JsonElement>($"/api/jobs/{ids[^1]}/dependencies");
        dependencies.GetProperty("items").GetArrayLength().ShouldBe(10);
        dependencies.GetProperty("waitingFor").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Another_workspaces_job_is_refused_as_unknown()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        var theirs = await other.SubmitAsync(Demo());
        var missing = Guid.CreateVersion7();

        var (status, problem) = await cluster.Client.PostAsync("/api/jobs", Demo(dependsOn: new[] { theirs, missing }));

        status.ShouldBe(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        errors.GetProperty("dependsOn[0]")[0].GetString().ShouldBe($"job {theirs} does not exist.");
        errors.GetProperty("dependsOn[1]")[0].GetString().ShouldBe($"job {missing} does not exist.");
        (await cluster.Client.GetAsync($"/api/jobs/{theirs}/dependents")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_references_are_refused_naming_the_field()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var a = await cluster.Client.SubmitAsync(Demo());

        var (tooMany, tooManyProblem) = await cluster.Client.PostAsync("/api/jobs",
            Demo(dependsOn: Enumerable.Range(0, 51).Select(_ => Guid.CreateVersion7()).ToArray()));
        var (twice, twiceProblem) = await cluster.Client.PostAsync("/api/jobs", Demo(dependsOn: new[] { a, a }));
        var (malformed, malformedProblem) = await cluster.Client.PostAsync("/api/jobs", Demo(dependsOn: new[] { "yesterday's job" }));
        var (policy, policyProblem) = await cluster.Client.PostAsync("/api/jobs", Demo(dependsOn: new[] { a }, onDependencyFailure: "ignore"));

        (tooMany, twice, malformed, policy).ShouldBe((HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest));
        tooManyProblem.GetProperty("errors").GetProperty("dependsOn")[0].GetString()!.ShouldContain("at most 50");
        twiceProblem.GetProperty("errors").GetProperty("dependsOn[1]")[0].GetString()!.ShouldContain("more than once");
        malformedProblem.GetProperty("errors").TryGetProperty("dependsOn[0]", out _).ShouldBeTrue();
        policyProblem.GetProperty("errors").TryGetProperty("onDependencyFailure", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task A_cycle_or_forward_reference_in_a_batch_is_refused_and_nothing_is_submitted()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (status, problem) = await cluster.Client.PostAsync("/api/jobs/batch", new
        {
            jobs = new[]
            {
                Demo(@ref: "x", dependsOn: new[] { "ref:y" }),
                Demo(@ref: "y", dependsOn: new[] { "ref:x" }),
                Demo(@ref: "z", dependsOn: new[] { "ref:z" }),
                Demo(dependsOn: new[] { "ref:nobody" }),
            },
        });

        status.ShouldBe(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        errors.GetProperty("jobs[0].dependsOn[0]")[0].GetString()!.ShouldContain("not before jobs[0]");
        errors.TryGetProperty("jobs[1].dependsOn[0]", out _).ShouldBeFalse();
        errors.GetProperty("jobs[2].dependsOn[0]")[0].GetString()!.ShouldContain("not before jobs[2]");
        errors.GetProperty("jobs[3].dependsOn[0]")[0].GetString()!.ShouldContain("no item of the batch has ref 'nobody'");
        (await cluster.Client.GetFromJsonAsync<JsonElement>("/api/jobs")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }
}
