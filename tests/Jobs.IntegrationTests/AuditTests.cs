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
            var actor = entry.Actor.ShouldNotBeNull();
            actor.UserId.ShouldBe(cluster.Caller.UserId);
            actor.Email.ShouldBe(email);
            actor.ApiKeyId.ShouldBe(keyId);
            actor.ApiKeyKind.ShouldBe("key");
            actor.ApiKeyName.ShouldBe("seeded");
            actor.ApiKeyPrefix.ShouldBe(ApiKeyHasher.PrefixOf(key));
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
        timeline.Single(e => e.Kind == "created").Actor.ShouldNotBeNull();
        timeline.Where(e => e.Kind != "created").ShouldAllBe(e => e.Actor == null);
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

        var created = timeline[0].Actor.ShouldNotBeNull();
        created.ApiKeyKind.ShouldBe("session");
        created.Email.ShouldBe(user.Email);
        var cancelled = timeline[1].Actor.ShouldNotBeNull();
        cancelled.ApiKeyKind.ShouldBe("key");
        cancelled.ApiKeyId.ShouldBe(await SeededKeyIdAsync(cluster));
        // The actor is written with the event, so it survives the session's end.
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM job_events WHERE job_id = @id AND actor IS NOT NULL", ("id", id))).ShouldBe(2);
    }

    private static async Task<Guid> SeededKeyIdAsync(TestCluster cluster) =>
        await cluster.ScalarAsync<Guid>("SELECT id FROM api_keys WHERE user_id = @user_id AND kind = 'key'", ("user_id", cluster.Caller.UserId));
}
