using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>Every kind of bad request answers RFC 9457 problem details with a stable code, never a 500.</summary>
public sealed class BadInputTests(Servers servers)
{
    [Theory]
    [InlineData("{\"type\":\"demo\",", "malformed_json")]
    [InlineData("not json at all", "malformed_json")]
    [InlineData("{\"type\":5,\"payload\":{}}", "malformed_json")]
    [InlineData("", "validation_failed")]
    [InlineData("null", "validation_failed")]
    [InlineData("{}", "validation_failed")]
    [InlineData("{\"type\":\"demo\"}", "validation_failed")]
    [InlineData("{\"type\":\"demo\",\"payload\":[1]}", "validation_failed")]
    [InlineData("{\"type\":\"no.such.type\",\"payload\":{}}", "validation_failed")]
    [InlineData("{\"type\":\"demo\",\"payload\":{\"items\":-1}}", "validation_failed")]
    [InlineData("{\"type\":\"demo\",\"payload\":{\"items\":100001}}", "validation_failed")]
    [InlineData("{\"type\":\"demo\",\"payload\":{\"items\":1,\"bogus\":true}}", "validation_failed")]
    [InlineData("{\"type\":\"demo\",\"payload\":{\"items\":1},\"maxAttempts\":0}", "validation_failed")]
    [InlineData("{\"type\":\"demo\",\"payload\":{\"items\":1},\"priority\":1000}", "validation_failed")]
    [InlineData("{\"type\":\"demo\",\"payload\":{\"items\":1},\"runAt\":\"2999-01-01T00:00:00Z\"}", "validation_failed")]
    [InlineData("{\"type\":\"demo\",\"payload\":{\"items\":1},\"runAt\":\"yesterday\"}", "malformed_json")]
    [InlineData("{\"type\":\"demo\",\"payload\":{\"items\":1},\"priority\":\"5\"}", "malformed_json")]
    [InlineData("{\"type\":\"demo\",\"payload\":{\"items\":1},\"maxAttempts\":\"3\"}", "malformed_json")]
    public async Task BadSubmissions_AnswerBadRequestProblems(string body, string code)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs", body);

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe(code);
        problem.GetProperty("status").GetInt32().ShouldBe(400);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }

    [Fact]
    public async Task InvalidPayload_NamesEachFailingField()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (_, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs", """{"type":"demo","payload":{"items":"many","delayMs":-5}}""");

        var errors = problem.GetProperty("errors");
        errors.GetProperty("payload.items")[0].GetString().ShouldBe("must be an integer, not a string.");
        errors.GetProperty("payload.delayMs")[0].GetString().ShouldBe("must be at least 0, is -5.");
    }

    [Fact]
    public async Task UnknownAndForeignJobIds_AreNotFound_WhateverTheEndpoint()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        var theirs = await other.SubmitDemoAsync(items: 1);

        foreach (var id in new[] { theirs.ToString(), Guid.NewGuid().ToString(), "not-a-guid", new string('x', 500) })
        {
            foreach (var (method, path) in new[] { (HttpMethod.Get, $"/api/jobs/{id}"), (HttpMethod.Get, $"/api/jobs/{id}/timeline"), (HttpMethod.Post, $"/api/jobs/{id}/cancel"), (HttpMethod.Post, $"/api/jobs/{id}/retry") })
            {
                var (status, problem) = await cluster.Client.SendRawAsync(method, path, null);
                status.ShouldBe(HttpStatusCode.NotFound, $"{method} {path}");
                problem.GetProperty("code").GetString().ShouldBe("job_not_found");
            }
        }

        (await other.GetJobAsync(theirs)).Status.ShouldBe("pending", "the other workspace's job is untouched");
    }

    [Fact]
    public async Task ListFilters_AreValidated()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Get, "/api/jobs?status=done&limit=5000&cursor=abc", null);

        status.ShouldBe(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        errors.TryGetProperty("status", out _).ShouldBeTrue();
        errors.TryGetProperty("limit", out _).ShouldBeTrue();
        errors.TryGetProperty("cursor", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task MissingOrWrongApiKey_IsUnauthorized()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        using var anonymous = cluster.Api.CreateClient();
        using var wrong = cluster.Api.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "jobs_not_a_key");

        foreach (var client in new[] { anonymous, wrong })
        {
            var (status, problem) = await client.SendRawAsync(HttpMethod.Get, "/api/jobs", null);
            status.ShouldBe(HttpStatusCode.Unauthorized);
            problem.GetProperty("code").GetString().ShouldBe("unauthenticated");
        }
    }

    [Fact]
    public async Task Batches_AreAllOrNothing_AndBounded()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (status, problem) = await cluster.Client.PostAsync("/api/jobs/batch", new
        {
            jobs = new object[] { new { type = "demo", payload = new { items = 1 } }, new { type = "demo", payload = new { items = -1 } } },
        });
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("jobs[1].payload.items", out _).ShouldBeTrue();
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);

        var tooMany = Enumerable.Range(0, 1001).Select(_ => new { type = "demo", payload = new { items = 1 } }).ToArray();
        (await cluster.Client.PostAsync("/api/jobs/batch", new { jobs = tooMany })).Status.ShouldBe(HttpStatusCode.BadRequest);
        (await cluster.Client.PostAsync("/api/jobs/batch", new { jobs = Array.Empty<object>() })).Status.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WrongContentTypeAndUnknownRoutes_AnswerProblems()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (unsupported, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs", "type=demo", "text/plain");
        unsupported.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        problem.GetProperty("code").GetString().ShouldBe("unsupported_media_type");

        var (missing, _) = await cluster.Client.SendRawAsync(HttpMethod.Get, "/api/nothing-here", null);
        missing.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task JobList_PagesNewestFirst_AndFilters()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await cluster.Client.SubmitDemoAsync(items: 1));
        }

        await cluster.Client.PostAsync($"/api/jobs/{ids[1]}/cancel");

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = (await cluster.Client.GetFromJsonAsync<JobListResponse>($"/api/jobs?limit=2{(cursor is null ? "" : $"&cursor={cursor}")}"))!;
            seen.AddRange(page.Items.Select(j => j.Id));
            cursor = page.NextCursor;
        }
        while (cursor is not null);

        seen.ShouldBe(Enumerable.Reverse(ids).ToList());
        (await cluster.Client.GetFromJsonAsync<JobListResponse>("/api/jobs?status=cancelled"))!.Items.Select(j => j.Id).ShouldBe([ids[1]]);
        (await cluster.Client.GetFromJsonAsync<JobListResponse>("/api/jobs?type=other"))!.Items.ShouldBeEmpty();
    }
}
