using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CsvHelper;
using Jobs.Api.Campaigns;
using Jobs.Contracts.Campaigns;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Storage;
using Jobs.Core.Workloads.Campaigns;
using Jobs.IntegrationTests.Infrastructure;
using Jobs.Worker.Handlers.Leads;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Jobs.IntegrationTests;

/// <summary>
/// <c>leads.discover</c> end to end on real PostgreSQL and Redis with the simulated services (the default): stages and
/// progress bands, metrics against the stored campaign, the campaign endpoints and CSV export, workspace isolation,
/// and reruns that never duplicate a campaign or a lead.
/// </summary>
public sealed class LeadDiscoveryTests(Servers servers)
{
    /// <summary>Simulated calls of a few milliseconds: long enough to watch the stages, short enough for a test.</summary>
    private static Dictionary<string, string?> Latencies(int details = 5, int emails = 10) => new()
    {
        ["Integrations:Simulation:TextSearchLatency"] = "00:00:00.010",
        ["Integrations:Simulation:DetailsLatency"] = TimeSpan.FromMilliseconds(details).ToString(),
        ["Integrations:Simulation:EmailFinderLatency"] = TimeSpan.FromMilliseconds(emails).ToString(),
        ["Integrations:Simulation:EmailVerifierLatency"] = TimeSpan.FromMilliseconds(emails).ToString(),
    };

    [Fact]
    public async Task DiscoverLeads_RunsItsFourStagesInOrder_EachWithinItsProgressBand()
    {
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Latencies(details: 20, emails: 40));

        var id = await cluster.Client.SubmitLeadsAsync("plumbers", "Austin, TX", maxResults: 15, minConfidenceScore: 50);

        var samples = new List<(string? Stage, int Progress)>();
        await Eventually.TrueAsync(async () =>
        {
            var job = await cluster.Client.GetJobAsync(id);
            samples.Add((job.Stage, job.Progress));
            return job.Status == "completed";
        }, "the lead discovery to complete", TimeSpan.FromSeconds(60));

        var timeline = await cluster.Client.GetTimelineAsync(id);
        timeline.Kinds().ShouldBe(["created", "started", "stage", "stage", "stage", "stage", "completed"]);
        timeline.Where(e => e.Kind == "stage").Select(e => e.Stage)
            .ShouldBe([LeadStages.Discovering, LeadStages.Scoring, LeadStages.Enriching, LeadStages.Storing]);

        var bands = LeadStages.Bands.ToDictionary(b => b.Stage);
        var seen = samples.Where(s => s.Stage is not null).ToList();
        seen.Select(s => s.Stage).Distinct().Count().ShouldBeGreaterThanOrEqualTo(3, Describe(samples));
        foreach (var (stage, progress) in seen)
        {
            var band = bands[stage!];
            progress.ShouldBeInRange(band.From, band.To, $"{stage} at {progress} %; samples: {Describe(samples)}");
        }

        samples.Select(s => s.Progress).ShouldBeInOrder(SortDirection.Ascending, Describe(samples));
        seen.Select(s => LeadStages.Bands.ToList().FindIndex(b => b.Stage == s.Stage)).ShouldBeInOrder(SortDirection.Ascending, Describe(samples));
        seen.ShouldContain(s => s.Stage == LeadStages.Discovering && s.Progress > 0 && s.Progress < 30, Describe(samples));
        seen.ShouldContain(s => s.Stage == LeadStages.Enriching && s.Progress > 50 && s.Progress < 90, Describe(samples));
        samples[^1].ShouldBe((LeadStages.Storing, 100));
    }

    [Fact]
    public async Task DiscoverLeads_StoresACampaign_WhoseLeadsAgreeWithTheMetricsAndTheResult()
    {
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Latencies());

        var id = await cluster.Client.SubmitLeadsAsync("dentists", "Portland, OR", maxResults: 12, minConfidenceScore: 60);
        var job = await cluster.Client.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(60));

        var metrics = job.Metrics;
        var result = job.Result!.Value;
        var found = metrics.GetProperty("businesses_found").GetInt32();
        var qualified = metrics.GetProperty("qualified_leads").GetInt32();
        var enriched = metrics.GetProperty("leads_enriched").GetInt32();
        var totalCost = metrics.GetProperty("total_cost").GetDecimal();
        var avgConfidence = metrics.GetProperty("avg_confidence").GetDouble();
        found.ShouldBeInRange(25, 36); // three candidates per wanted lead, as many as the market has
        qualified.ShouldBeInRange(1, 12);
        result.GetProperty("qualifiedLeads").GetInt32().ShouldBe(qualified);
        result.GetProperty("leadsEnriched").GetInt32().ShouldBe(enriched);
        result.GetProperty("totalCost").GetDecimal().ShouldBe(totalCost);
        result.GetProperty("avgConfidence").GetDouble().ShouldBe(avgConfidence);
        result.GetProperty("businessesFound").GetInt32().ShouldBe(found);
        result.GetProperty("source").GetString().ShouldBe("simulated");
        job.ProcessedItems.ShouldBe(qualified);
        job.TotalItems.ShouldBe(qualified);

        var campaignId = result.GetProperty("campaignId").GetGuid();
        var campaign = (await cluster.Client.GetFromJsonAsync<CampaignResponse>($"/api/campaigns/{campaignId}"))!;
        campaign.JobId.ShouldBe(id);
        campaign.Name.ShouldBe("dentists in Portland, OR");
        campaign.Source.ShouldBe("simulated");
        campaign.MinConfidence.ShouldBe(60);
        campaign.Stats.GetProperty("qualifiedLeads").GetInt32().ShouldBe(qualified);
        campaign.Stats.GetProperty("totalCost").GetDecimal().ShouldBe(totalCost);
        campaign.Stats.GetProperty("providers").GetProperty("places").GetString().ShouldBe("simulated");
        var leads = campaign.Leads;
        leads.Count.ShouldBe(qualified);
        leads.Select(l => l.Rank).ShouldBe(Enumerable.Range(1, qualified));
        var confidences = leads.Select(l => l.Confidence).ToList();
        confidences.ShouldAllBe(c => c >= 60);
        confidences.ShouldBeInOrder(SortDirection.Descending);
        Math.Round(confidences.Average(), 1).ShouldBe(avgConfidence);
        leads.Select(l => l.PlaceId).ShouldBeUnique();
        leads.ShouldAllBe(l => l.Source == "simulated");
        var withEmail = leads.Where(l => l.Email != null).ToList();
        withEmail.Count.ShouldBe(enriched);
        withEmail.Select(l => l.EmailStatus).ShouldAllBe(s => s == "deliverable" || s == "risky" || s == "undeliverable");

        // Every call is billed at the price table's defaults: a text search page per 20 places, details per place,
        // and (the simulated finder bills only what it finds) one search and one verification per enriched lead.
        var expectedCost = ((found + 19) / 20 * 0.032m) + (found * 0.017m) + (enriched * (0.01m + 0.008m));
        totalCost.ShouldBe(expectedCost);
        leads.Sum(l => l.Cost).ShouldBe((qualified * 0.017m) + (enriched * 0.018m));

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM campaigns WHERE job_id = @id", ("id", id))).ShouldBe(1);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM leads WHERE campaign_id = @id", ("id", campaignId))).ShouldBe(qualified);

        var list = (await cluster.Client.GetFromJsonAsync<CampaignListResponse>("/api/campaigns"))!;
        list.Items.Select(c => c.Id).ShouldBe([campaignId]);
        list.NextCursor.ShouldBeNull();
    }

    [Fact]
    public async Task SameSearchTwice_FindsTheSameLeads_BecauseTheSimulationIsSeededByThePayload()
    {
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Latencies());

        var first = await cluster.Client.SubmitLeadsAsync("Roofers", "Miami, FL", maxResults: 8, minConfidenceScore: 40);
        var second = await cluster.Client.SubmitLeadsAsync(" roofers", "miami, fl ", maxResults: 8, minConfidenceScore: 40);

        var a = await LeadsOfAsync(cluster, (await cluster.Client.WaitForStatusAsync(first, "completed", TimeSpan.FromSeconds(60))).Result!.Value);
        var b = await LeadsOfAsync(cluster, (await cluster.Client.WaitForStatusAsync(second, "completed", TimeSpan.FromSeconds(60))).Result!.Value);
        b.ShouldBe(a);
    }

    [Fact]
    public async Task CampaignsList_PagesNewestFirst_WithACursor()
    {
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Latencies());
        var jobs = new List<Guid>();
        foreach (var city in new[] { "Boise, ID", "Reno, NV", "Tulsa, OK" })
        {
            jobs.Add(await cluster.Client.SubmitLeadsAsync("bakeries", city, maxResults: 3, minConfidenceScore: 0));
        }

        var campaigns = new List<Guid>();
        foreach (var job in jobs)
        {
            campaigns.Add((await cluster.Client.WaitForStatusAsync(job, "completed", TimeSpan.FromSeconds(60))).Result!.Value.GetProperty("campaignId").GetGuid());
        }

        var page1 = (await cluster.Client.GetFromJsonAsync<CampaignListResponse>("/api/campaigns?limit=2"))!;
        var page2 = (await cluster.Client.GetFromJsonAsync<CampaignListResponse>($"/api/campaigns?limit=2&cursor={page1.NextCursor}"))!;

        var ids = page1.Items.Concat(page2.Items).Select(c => c.Id).ToList();
        ids.ShouldBe(campaigns.OrderByDescending(c => c), ignoreOrder: false);
        page2.NextCursor.ShouldBeNull();
        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Get, "/api/campaigns?limit=0", null);
        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("limit", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task LeadsCsv_IsAnAttachment_WithAHeaderAndOneRowPerLead_InTheCampaignsOrder()
    {
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Latencies());
        var id = await cluster.Client.SubmitLeadsAsync("florists", "Salt Lake City, UT", maxResults: 10, minConfidenceScore: 30);
        var campaignId = (await cluster.Client.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(60))).Result!.Value.GetProperty("campaignId").GetGuid();
        var leads = (await cluster.Client.GetFromJsonAsync<JsonElement>($"/api/campaigns/{campaignId}")).GetProperty("leads").EnumerateArray().ToList();

        using var response = await cluster.Client.GetAsync($"/api/campaigns/{campaignId}/leads.csv");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        response.Content.Headers.ContentDisposition.FileName!.Trim('"').ShouldBe("florists-in-salt-lake-city-ut-leads.csv");
        var text = await response.Content.ReadAsStringAsync();
        text.Split("\r\n")[0].ShouldBe(string.Join(',', LeadsCsv.Header));
        using var csv = CsvReader.FromText(text);
        var rows = new List<(string Rank, string Name, string Confidence, string Email, string Address, string PlaceId, string Source)>();
        while (csv.Read())
        {
            rows.Add((csv.GetString("rank"), csv.GetString("business_name"), csv.GetString("confidence"), csv.GetString("email") ?? "",
                csv.GetString("address") ?? "", csv.GetString("place_id"), csv.GetString("source")));
        }

        csv.Headers.ShouldBe(LeadsCsv.Header);
        rows.Count.ShouldBe(leads.Count);
        rows.ShouldBe(leads.Select(l => (
            l.GetProperty("rank").GetInt32().ToString(),
            l.GetProperty("businessName").GetString()!,
            l.GetProperty("confidence").GetInt32().ToString(),
            l.GetProperty("email").GetString() ?? "",
            l.GetProperty("address").GetString() ?? "",
            l.GetProperty("placeId").GetString()!,
            "simulated")).ToList());
        // Addresses such as "12 Main St, Salt Lake City, UT" hold the separator: quoted, they still read back whole.
        rows.ShouldContain(r => r.Address.Contains(','));
    }

    [Fact]
    public async Task AnotherWorkspacesCampaign_AnswersNotFound_LikeOneThatDoesNotExist()
    {
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Latencies());
        var id = await cluster.Client.SubmitLeadsAsync("plumbers", "Austin, TX", maxResults: 3, minConfidenceScore: 0);
        var campaignId = (await cluster.Client.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(60))).Result!.Value.GetProperty("campaignId").GetGuid();
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _1 = other;

        foreach (var path in new[]
        {
            $"/api/campaigns/{campaignId}", $"/api/campaigns/{campaignId}/leads.csv",
            $"/api/campaigns/{Guid.CreateVersion7()}", "/api/campaigns/not-an-id", "/api/campaigns/not-an-id/leads.csv",
        })
        {
            var (status, problem) = await other.SendRawAsync(HttpMethod.Get, path, null);
            status.ShouldBe(HttpStatusCode.NotFound, path);
            problem.GetProperty("code").GetString().ShouldBe("campaign_not_found", path);
        }

        (await other.GetFromJsonAsync<CampaignListResponse>("/api/campaigns"))!.Items.ShouldBeEmpty();
        (await cluster.Client.GetAsync($"/api/campaigns/{campaignId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task InvalidPayload_IsRejectedAtSubmit_WithTheFailingFields()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs", JsonSerializer.Serialize(new
        {
            type = LeadDiscoveryHandler.TypeName,
            payload = new { businessType = "  ", maxResults = 101, minConfidenceScore = -1, extra = true },
        }));

        status.ShouldBe(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "payload.businessType", "payload.location", "payload.maxResults", "payload.minConfidenceScore", "payload.extra" })
        {
            errors.TryGetProperty(field, out _).ShouldBeTrue($"{field} in {errors}");
        }
    }

    [Fact]
    public async Task WorkerThatStopsHeartbeatingWhileEnriching_LosesTheJob_AndTheRerunLeavesOneCampaignWithoutDuplicates()
    {
        // Slow enrichment (about 0.4 s a lead): the stalled attempt cannot finish before its 3 s lease runs out.
        await using var cluster = await TestCluster.StartAsync(servers, workers: 2, overrides: Latencies(details: 5, emails: 200));
        var id = await cluster.Client.SubmitLeadsAsync("electricians", "Omaha, NE", maxResults: 20, minConfidenceScore: 0);
        await Eventually.TrueAsync(async () =>
        {
            var job = await cluster.Client.GetJobAsync(id);
            return job.Stage == LeadStages.Enriching && job.ProcessedItems >= 1;
        }, "the job to be enriching", TimeSpan.FromSeconds(30));
        var owner = await cluster.ScalarAsync<string>("SELECT lease_owner FROM jobs WHERE id = @id", ("id", id));
        var stalled = cluster.Workers.Single(w => TestCluster.IdentityOf(w).Id == owner);

        TestCluster.ConsumerOf(stalled).HeartbeatsPaused = true;

        var done = await cluster.Client.WaitForStatusAsync(id, "completed", TimeSpan.FromSeconds(90));
        done.Attempt.ShouldBe(2);
        var kinds = (await cluster.Client.GetTimelineAsync(id)).Kinds();
        kinds.ShouldContain("lease_expired");
        kinds.Count(k => k == "completed").ShouldBe(1);
        var qualified = done.Result!.Value.GetProperty("qualifiedLeads").GetInt32();
        var campaignId = done.Result!.Value.GetProperty("campaignId").GetGuid();
        await Eventually.TrueAsync(() => Task.FromResult(TestCluster.ConsumerOf(stalled).RunningCount == 0), "the stalled worker to stop its handler");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM campaigns WHERE job_id = @id", ("id", id))).ShouldBe(1);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM leads WHERE campaign_id = @id", ("id", campaignId))).ShouldBe(qualified);
        (await cluster.ScalarAsync<long>("SELECT count(DISTINCT place_id) FROM leads WHERE campaign_id = @id", ("id", campaignId))).ShouldBe(qualified);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM leads")).ShouldBe(qualified);
    }

    [Fact]
    public async Task CancelWhileEnriching_StopsTheJob_AndStoresNoCampaign()
    {
        await using var cluster = await TestCluster.StartAsync(servers, overrides: Latencies(details: 5, emails: 200));
        var id = await cluster.Client.SubmitLeadsAsync("locksmiths", "Tampa, FL", maxResults: 20, minConfidenceScore: 0);
        await Eventually.TrueAsync(async () => (await cluster.Client.GetJobAsync(id)).Stage == LeadStages.Enriching,
            "the job to be enriching", TimeSpan.FromSeconds(30));

        var (status, _) = await cluster.Client.PostAsync($"/api/jobs/{id}/cancel");

        status.ShouldBe(HttpStatusCode.OK);
        var job = await cluster.Client.WaitForStatusAsync(id, "cancelled", TimeSpan.FromSeconds(10));
        job.Stage.ShouldBe(LeadStages.Enriching);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM campaigns")).ShouldBe(0);
    }

    [Fact]
    public async Task StoringTwiceForTheSameJob_UpsertsOneCampaign_AndKeepsExactlyTheLastAttemptsLeads()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var id = await cluster.Client.SubmitLeadsAsync("plumbers", "Austin, TX", maxResults: 5, minConfidenceScore: 0);
        var store = cluster.Api.Services.GetRequiredService<IJobStore>();
        var first = (await store.JobClaimManyAsync(new JobClaimManyParams([id], "worker-a", TimeSpan.FromSeconds(30)), CancellationToken.None)).Claimed.Single();
        await using var dataSource = NpgsqlDataSource.Create(cluster.DatabaseConnectionString);
        var writer = new CampaignWriter(dataSource, new NpgsqlCampaignStore(dataSource));
        CampaignUpsertParams Campaign(JobLease lease, params string[] places) => new(
            lease, cluster.Caller.WorkspaceId, "plumbers in Austin, TX", "plumbers", "Austin, TX", 5, 0, "simulated",
            JsonSerializer.SerializeToElement(new { qualifiedLeads = places.Length }),
            places.Select((p, i) => new LeadUpsertParams(i + 1, p, $"Business {p}", null, null, null, 4.5, 10, true, "OPERATIONAL",
                90 - i, $"info@{p}.example", 80, "deliverable", 0.035m, "simulated")).ToList());

        // The first attempt stores, then crashes before completing: the rerun stores the same leads again.
        var campaignId = await writer.CampaignUpsertAsync(Campaign(first.Lease, "a", "b", "c"), CancellationToken.None);
        var again = await writer.CampaignUpsertAsync(Campaign(first.Lease, "a", "b", "c"), CancellationToken.None);
        again.ShouldBe(campaignId);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM campaigns WHERE job_id = @id", ("id", id))).ShouldBe(1);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM leads WHERE campaign_id = @id", ("id", campaignId!.Value))).ShouldBe(3);

        // A later attempt that found b, c and d (a closed meanwhile) leaves exactly those, in its order.
        await cluster.ScalarAsync<int>("UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE id = @id", ("id", id));
        var leader = (await cluster.Api.Services.GetRequiredService<IClusterStore>().LeaderAttemptElectAsync("maintenance", "test", TimeSpan.FromSeconds(30), CancellationToken.None))!;
        await store.JobRescueExpiredAsync(leader, 100, CancellationToken.None);
        var second = (await store.JobClaimManyAsync(new JobClaimManyParams([id], "worker-b", TimeSpan.FromSeconds(30)), CancellationToken.None)).Claimed.Single();
        (await writer.CampaignUpsertAsync(Campaign(second.Lease, "d", "c", "b"), CancellationToken.None)).ShouldBe(campaignId);
        var campaign = (await cluster.Client.GetFromJsonAsync<CampaignResponse>($"/api/campaigns/{campaignId}"))!;
        campaign.Leads.Select(l => l.PlaceId).ShouldBe(["d", "c", "b"]);

        // The first attempt, stale now, writes nothing.
        (await writer.CampaignUpsertAsync(Campaign(first.Lease, "x"), CancellationToken.None)).ShouldBeNull();
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM leads WHERE campaign_id = @id", ("id", campaignId.Value))).ShouldBe(3);
    }

    [Fact]
    public async Task RealPlacesProviderRejectingItsKey_FailsTheJobAtOnce_WithAClearMessage()
    {
        await using var stub = await StubServer.StartAsync(_ => new StubResponse(403,
            """{"error":{"code":403,"message":"The provided API key is invalid.","status":"PERMISSION_DENIED"}}"""));
        var settings = Latencies();
        settings["Integrations:Places:Provider"] = "google";
        settings["Integrations:Places:ApiKey"] = "wrong-key";
        settings["Integrations:Places:BaseUrl"] = stub.BaseUrl.ToString();
        await using var cluster = await TestCluster.StartAsync(servers, overrides: settings);

        var id = await cluster.Client.SubmitLeadsAsync("plumbers", "Austin, TX", maxResults: 5, minConfidenceScore: 0, maxAttempts: 3);

        var job = await cluster.Client.WaitForStatusAsync(id, "failed", TimeSpan.FromSeconds(60));
        job.Attempt.ShouldBe(1);
        job.Error!.ShouldContain("Google Places text search answered 403");
        job.Error!.ShouldContain("The provided API key is invalid.");
        job.Error!.ShouldContain("Integrations:Places:ApiKey");
        stub.Requests.Single().Headers["X-Goog-Api-Key"].ShouldBe("wrong-key");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM campaigns")).ShouldBe(0);
    }

    private static async Task<List<string>> LeadsOfAsync(TestCluster cluster, JsonElement result)
    {
        var campaign = await cluster.Client.GetFromJsonAsync<JsonElement>($"/api/campaigns/{result.GetProperty("campaignId").GetGuid()}");
        return campaign.GetProperty("leads").EnumerateArray()
            .Select(l => $"{l.GetProperty("placeId").GetString()} {l.GetProperty("confidence").GetInt32()} {l.GetProperty("email")} {l.GetProperty("emailStatus")}")
            .ToList();
    }

    private static string Describe(IEnumerable<(string? Stage, int Progress)> samples) =>
        string.Join(", ", samples.Select(s => $"{s.Stage ?? "-"}:{s.Progress}"));
}
