using Jobs.Worker.Handlers.Leads;
using Jobs.Worker.Integrations;
using Jobs.Worker.Integrations.Email;
using Jobs.Worker.Integrations.Places;
using Jobs.Worker.Integrations.Simulation;
using Jobs.Worker.Processing;
using Microsoft.Extensions.Options;

namespace Jobs.IntegrationTests;

/// <summary>The pure parts of lead discovery: confidence, ranking, progress bands and the deterministic simulation.</summary>
public sealed class LeadScoringTests
{
    private static readonly Business Complete = new(
        "p1", "Oakwood Plumbing", "1 Main St, Austin, TX", "(512) 555-0100", "https://www.oakwood.example/", 5.0, 500, true, PlaceDetails.Operational);

    private static readonly Business NameOnly = new("p2", "Nameless", null, null, null, null, null, false, null);

    [Fact]
    public void Score_IsHundred_ForAListingWithEverything_AndZeroForOneWithNothing()
    {
        LeadScorer.Score(Complete).ShouldBe(100);
        LeadScorer.Score(NameOnly).ShouldBe(0);
    }

    [Fact]
    public void Score_AddsThePointsOfEachFieldFound()
    {
        LeadScorer.Score(NameOnly with { Website = "https://x.example" }).ShouldBe(LeadScorer.WebsitePoints);
        LeadScorer.Score(NameOnly with { Phone = "(512) 555-0100" }).ShouldBe(LeadScorer.PhonePoints);
        LeadScorer.Score(NameOnly with { Address = "1 Main St" }).ShouldBe(LeadScorer.AddressPoints);
        LeadScorer.Score(NameOnly with { HasOpeningHours = true }).ShouldBe(LeadScorer.OpeningHoursPoints);
        LeadScorer.Score(NameOnly with { BusinessStatus = PlaceDetails.Operational }).ShouldBe(LeadScorer.OperationalPoints);
        LeadScorer.Score(NameOnly with { BusinessStatus = PlaceDetails.ClosedTemporarily }).ShouldBe(0);
        LeadScorer.Score(NameOnly with { Rating = 4.0 }).ShouldBe(12); // 4/5 of 15
        LeadScorer.Score(NameOnly with { ReviewsCount = 5000 }).ShouldBe(LeadScorer.ReviewsPoints); // capped at 500 reviews
        LeadScorer.Score(NameOnly with { ReviewsCount = 22 }).ShouldBe(8); // log10(23) / log10(501) of 15 = 7.6
        LeadScorer.Score(NameOnly with { ReviewsCount = 0 }).ShouldBe(0);
    }

    [Fact]
    public void Score_IsZero_ForAPermanentlyClosedBusiness_WhateverElseItHas()
    {
        LeadScorer.Score(Complete with { BusinessStatus = PlaceDetails.ClosedPermanently }).ShouldBe(0);
    }

    [Fact]
    public void Rank_DropsTheUnqualified_OrdersBestFirst_BreaksTiesByReviewsThenName_AndLimits()
    {
        var strong = Complete with { PlaceId = "strong", Name = "Strong" };
        var tiedFewReviews = Complete with { PlaceId = "b", Name = "B", Rating = 4.0, ReviewsCount = 10 };
        var tiedManyReviews = Complete with { PlaceId = "a", Name = "Z", Rating = 4.0, ReviewsCount = 11 };
        var weak = NameOnly with { PlaceId = "weak", Phone = "(512) 555-0101" };

        var ranked = LeadScorer.Rank([weak, tiedFewReviews, strong, tiedManyReviews], minConfidence: 50, maxResults: 10);

        ranked.Select(r => r.Business.PlaceId).ShouldBe(["strong", "a", "b"]);
        ranked.Select(r => r.Confidence).ShouldBeInOrder(SortDirection.Descending);
        LeadScorer.Rank([weak, tiedFewReviews, strong, tiedManyReviews], minConfidence: 0, maxResults: 2).Select(r => r.Business.PlaceId).ShouldBe(["strong", "a"]);
        LeadScorer.Rank([weak], minConfidence: 21, maxResults: 10).ShouldBeEmpty();
        LeadScorer.Rank([weak], minConfidence: 20, maxResults: 10).Single().Confidence.ShouldBe(20);
    }

    [Theory]
    [InlineData("https://www.oakwood.example/", "oakwood.example")]
    [InlineData("http://Shop.Example.com/contact", "shop.example.com")]
    [InlineData("oakwood.example", null)]
    [InlineData("ftp://files.example", null)]
    [InlineData(null, null)]
    public void Domain_IsTheWebsitesHostWithoutWww(string? website, string? domain)
    {
        (NameOnly with { Website = website }).Domain.ShouldBe(domain);
    }

    [Fact]
    public void Within_SpreadsStepsOverTheBand()
    {
        LeadStages.Within(50, 90, 0, 10).ShouldBe(50);
        LeadStages.Within(50, 90, 5, 10).ShouldBe(70);
        LeadStages.Within(50, 90, 10, 10).ShouldBe(90);
        LeadStages.Within(50, 90, 0, 0).ShouldBe(90);
        LeadStages.Bands.Select(b => (b.From, b.To)).ShouldBe([(0, 30), (30, 50), (50, 90), (90, 100)]);
    }

    [Fact]
    public void Payload_WithoutItsOptionalFields_TakesTheSchemasDefaults()
    {
        var payload = System.Text.Json.JsonSerializer.Deserialize<LeadDiscoveryPayload>(
            """{"businessType":"plumbers","location":"Austin, TX"}""", System.Text.Json.JsonSerializerOptions.Web)!;

        payload.ShouldBe(new LeadDiscoveryPayload("plumbers", "Austin, TX", 20, 50));
        var properties = JobTypes.DefinitionOf<LeadDiscoveryHandler>().PayloadSchema["properties"]!;
        properties["maxResults"]!["default"]!.GetValue<int>().ShouldBe(payload.MaxResults);
        properties["minConfidenceScore"]!["default"]!.GetValue<int>().ShouldBe(payload.MinConfidenceScore);
    }

    [Fact]
    public void SourceOf_IsSimulatedOnlyWhenEveryServiceIs()
    {
        LeadDiscoveryHandler.SourceOf("simulated", "simulated", "simulated").ShouldBe("simulated");
        LeadDiscoveryHandler.SourceOf("google", "simulated", "simulated").ShouldBe("mixed");
        LeadDiscoveryHandler.SourceOf("google", "hunter", "neverbounce").ShouldBe("live");
    }

    [Fact]
    public async Task SimulatedPlaces_AreTheSameForTheSameSearch_WhateverItsCaseAndSpacing_AndDifferForAnother()
    {
        var places = SimulatedPlaces();

        var first = await places.SearchTextAsync(new PlaceQuery("Plumbers", "Austin, TX", 60), CancellationToken.None);
        var again = await places.SearchTextAsync(new PlaceQuery(" plumbers ", "austin, tx", 60), CancellationToken.None);
        var fewer = await places.SearchTextAsync(new PlaceQuery("plumbers", "Austin, TX", 10), CancellationToken.None);
        var elsewhere = await places.SearchTextAsync(new PlaceQuery("plumbers", "Denver, CO", 60), CancellationToken.None);

        first.Places.Count.ShouldBeInRange(25, 60);
        again.Places.Select(p => p.PlaceId).ShouldBe(first.Places.Select(p => p.PlaceId));
        fewer.Places.Select(p => p.PlaceId).ShouldBe(first.Places.Take(10).Select(p => p.PlaceId));
        elsewhere.Places.Select(p => p.PlaceId).ShouldNotBe(first.Places.Select(p => p.PlaceId));
        first.Places.Select(p => p.PlaceId).ShouldBeUnique();
        first.Places.Select(p => p.Name).ShouldBeUnique();
        first.Places.ShouldAllBe(p => p.PlaceId.StartsWith("sim_"));
        first.Requests.ShouldBe((first.Places.Count + 19) / 20);
        first.Cost.ShouldBe(first.Requests * 0.032m);
        fewer.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task SimulatedDetails_AreStable_AndCoverFieldsUnevenly_SoConfidenceVaries()
    {
        var places = SimulatedPlaces();
        var search = await places.SearchTextAsync(new PlaceQuery("dentists", "Portland, OR", 60), CancellationToken.None);

        var businesses = new List<Business>();
        foreach (var place in search.Places)
        {
            var details = await places.GetDetailsAsync(place.PlaceId, CancellationToken.None);
            (await places.GetDetailsAsync(place.PlaceId, CancellationToken.None)).ShouldBe(details);
            details.Cost.ShouldBe(0.017m);
            businesses.Add(new Business(place.PlaceId, place.Name, place.Address, details.Phone, details.Website,
                details.Rating, details.ReviewsCount, details.HasOpeningHours, details.BusinessStatus));
        }

        businesses.ShouldContain(b => b.Website == null);
        businesses.ShouldContain(b => b.Website != null && b.Domain!.EndsWith(".example"));
        businesses.ShouldContain(b => b.Rating == null);
        businesses.ShouldContain(b => !b.HasOpeningHours);
        businesses.Select(LeadScorer.Score).Distinct().Count().ShouldBeGreaterThan(8);
    }

    [Fact]
    public async Task SimulatedEmails_AreStablePerAddress_AndOnlyFoundOnesAreBilled()
    {
        var simulation = Options.Create(new SimulationOptions { EmailFinderLatency = TimeSpan.Zero, EmailVerifierLatency = TimeSpan.Zero });
        var prices = Options.Create(new IntegrationPrices());
        var finder = new SimulatedEmailFinder(simulation, prices, TimeProvider.System);
        var verifier = new SimulatedEmailVerifier(simulation, prices, TimeProvider.System);

        var findings = new List<EmailFinding>();
        for (var i = 0; i < 50; i++)
        {
            var finding = await finder.FindAsync($"shop-{i}.example", $"Shop {i}", CancellationToken.None);
            (await finder.FindAsync($"SHOP-{i}.example", $"Shop {i}", CancellationToken.None)).ShouldBe(finding);
            findings.Add(finding);
        }

        findings.ShouldContain(f => f.Email == null && f.Cost == 0m);
        findings.Where(f => f.Email != null).ShouldAllBe(f => f.Cost == 0.01m && f.Confidence >= 45 && f.Confidence <= 99);
        var statuses = new List<string>();
        foreach (var email in findings.Where(f => f.Email != null).Select(f => f.Email!))
        {
            var verification = await verifier.VerifyAsync(email, CancellationToken.None);
            (await verifier.VerifyAsync(email, CancellationToken.None)).ShouldBe(verification);
            verification.Cost.ShouldBe(0.008m);
            statuses.Add(verification.Status);
        }

        statuses.ShouldContain(EmailStatus.Deliverable);
        statuses.Distinct().Count().ShouldBeGreaterThan(1);
    }

    private static SimulatedPlacesSearch SimulatedPlaces() => new(
        Options.Create(new SimulationOptions { TextSearchLatency = TimeSpan.Zero, DetailsLatency = TimeSpan.Zero }),
        Options.Create(new IntegrationPrices()),
        TimeProvider.System);
}
