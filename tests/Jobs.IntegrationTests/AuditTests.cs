using System.Net;
using System.Text.Json;
using Jobs.Core.Identity;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

/// <summary>Who submitted, cancelled or retried a job, from which key or UI session, on its timeline.</summary>
public sealed class AuditTests(Servers servers)
{
    [Fact]
    public async Task SubmitCancelAndRetry_NameTheUserAndKey_OnTheTimeline()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var key = cluster.Client.DefaultRequestHeaders.GetValues("X-Api-Key").Single();
        var email = (await cluster.Api.Services.GetRequiredService<IWorkspaceStore>().UserGetAsync(cluster.Caller.UserId, CancellationToken.None))!.Email;
        var keyId = await SeededKeyIdAsync(cluster);
        var id = await cluster.Client.SubmitDemoAsync(items: 1);

        (await cluster.Client.PostAsync($"/api/jobs/{id}/cancel")).Status.ShouldBe(HttpStatusCode.OK);
        (await cluster.Client.PostAsync($"/api/jobs/{id}/retry")).Status.ShouldBe(HttpStatusCode.OK);
        var timeline = await cluster.Client.GetTimelineAsync(id);

        timeline.Kinds().ShouldBe(["created", "cancelled", "retried"]);
        foreach (var entry in timeline)
        {
            var actor = entry.GetProperty("actor");
            actor.GetProperty("userId").GetGuid().ShouldBe(cluster.Caller.UserId);
            actor.GetProperty("email").GetString().ShouldBe(email);
            actor.GetProperty("apiKeyId").GetGuid().ShouldBe(keyId);
            actor.GetProperty("apiKeyKind").GetString().ShouldBe("key");
            actor.GetProperty("apiKeyName").GetString().ShouldBe("seeded");
            actor.GetProperty("apiKeyPrefix").GetString().ShouldBe(ApiKeyHasher.PrefixOf(key));
        }
    }

    [Fact]
    public async Task WhatTheEngineDoesOnItsOwn_HasNoActor()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 1);
        var id = await cluster.Client.SubmitDemoAsync(items: 2);
        await cluster.Client.WaitForStatusAsync(id, "completed");

        var timeline = await cluster.Client.GetTimelineAsync(id);

        timeline.Kinds().ShouldContain("completed");
        timeline.Single(e => e.GetProperty("kind").GetString() == "created").GetProperty("actor").ValueKind.ShouldBe(JsonValueKind.Object);
        timeline.Where(e => e.GetProperty("kind").GetString() != "created")
            .Select(e => e.TryGetProperty("actor", out var actor) ? actor.ValueKind : JsonValueKind.Null)
            .ShouldAllBe(kind => kind == JsonValueKind.Null);
    }

    [Fact]
    public async Task ASubmissionFromASignedInSession_IsRecordedAsTheSession_AndACancelWithAKeyAsTheKey()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var store = cluster.Api.Services.GetRequiredService<IWorkspaceStore>();
        var user = (await store.UserGetAsync(cluster.Caller.UserId, CancellationToken.None))!;
        await store.UserSetPasswordHashAsync(user.Id, new PasswordHasher<UserAccount>().HashPassword(user, "correct horse"), CancellationToken.None);
        using var anonymous = cluster.Api.CreateClient();
        var (signedIn, session) = await anonymous.PostAsync("/api/sessions", new { email = user.Email, password = "correct horse" });
        signedIn.ShouldBe(HttpStatusCode.Created);
        using var browser = cluster.Api.CreateClient();
        browser.DefaultRequestHeaders.Add("X-Api-Key", session.GetProperty("apiKey").GetString());

        var id = await browser.SubmitDemoAsync(items: 1);
        (await cluster.Client.PostAsync($"/api/jobs/{id}/cancel")).Status.ShouldBe(HttpStatusCode.OK);
        var timeline = await cluster.Client.GetTimelineAsync(id);

        var created = timeline[0].GetProperty("actor");
        created.GetProperty("apiKeyKind").GetString().ShouldBe("session");
        created.GetProperty("email").GetString().ShouldBe(user.Email);
        var cancelled = timeline[1].GetProperty("actor");
        cancelled.GetProperty("apiKeyKind").GetString().ShouldBe("key");
        cancelled.GetProperty("apiKeyId").GetGuid().ShouldBe(await SeededKeyIdAsync(cluster));
        // The actor is written with the event, so it survives the session's end.
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM job_events WHERE job_id = @id AND actor IS NOT NULL", ("id", id))).ShouldBe(2);
    }

    private static async Task<Guid> SeededKeyIdAsync(TestCluster cluster) =>
        await cluster.ScalarAsync<Guid>("SELECT id FROM api_keys WHERE user_id = @user_id AND kind = 'key'", ("user_id", cluster.Caller.UserId));
}
