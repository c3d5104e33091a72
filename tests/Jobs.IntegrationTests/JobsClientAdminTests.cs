using System.Net;
using Jobs.Client;
using Jobs.Contracts.Webhooks;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// Jobs.Client's workspace, admin and workload calls against the real API: the workspace and its limits, statistics,
/// keys, users, sessions, audit and password, webhooks, contacts, sequences and campaigns; another workspace's ids are
/// not found (docs/api.md, ".NET client").
/// </summary>
public sealed class JobsClientAdminTests(Servers servers)
{
    [Fact]
    public async Task Workspace_LimitsStatsKeysUsersSessionsAuditAndPassword_AreTypedCalls()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = TypedClients.Of(cluster);

        var workspace = await client.GetWorkspaceAsync();
        var changed = await client.SetLimitsAsync(workspace.Limits with { MaxConcurrentJobs = 3, RequestsPerMinute = 6000 });
        changed.Limits.MaxConcurrentJobs.ShouldBe(3);
        (await client.GetBulkJobsAsync()).Limit.ShouldBeGreaterThan(0);
        (await client.GetStatsAsync()).ShouldNotBeNull();
        var invalidLimits = await Should.ThrowAsync<JobsValidationException>(() => client.SetLimitsAsync(workspace.Limits with { MaxConcurrentJobs = 0, RequestsPerMinute = 6000 }));
        invalidLimits.Errors.ShouldNotBeEmpty();

        var key = await client.CreateApiKeyAsync("ci");
        (await client.ListApiKeysAsync()).Select(k => k.Id).ShouldContain(key.Id);
        (await new JobsClient(cluster.Client, key.ApiKey).GetWorkspaceAsync()).Id.ShouldBe(workspace.Id);
        await client.RevokeApiKeyAsync(key.Id);
        (await client.ListApiKeysAsync()).Single(k => k.Id == key.Id).RevokedAt.ShouldNotBeNull();
        (await Should.ThrowAsync<JobsValidationException>(() => client.CreateApiKeyAsync(""))).Errors.Keys.ShouldContain("name");

        var invited = await client.InviteUserAsync($"{Guid.NewGuid():N}@test.local", "member");
        (await client.ListUsersAsync()).Single(u => u.Id == invited.UserId).InvitationPending.ShouldBeTrue();
        (await client.ChangeUserRoleAsync(invited.UserId, "admin")).Role.ShouldBe("admin");
        (await Should.ThrowAsync<JobsConflictException>(() => client.CreatePasswordResetAsync(invited.UserId))).Code.ShouldBe("invitation_pending");
        (await client.ListUserSessionsAsync(invited.UserId)).ShouldBeEmpty();
        await client.RevokeUserSessionsAsync(invited.UserId);
        await client.RemoveUserAsync(invited.UserId);
        (await client.ListUsersAsync()).Select(u => u.Id).ShouldNotContain(invited.UserId);

        var audit = await client.ListAuditAsync(limit: 50);
        audit.Items.Select(e => e.Action).ShouldContain("user.invited");
        // Only a session changes its person's password; a workspace key is refused.
        var password = await Should.ThrowAsync<JobsApiException>(() => client.ChangePasswordAsync("not the password", "a long enough new password"));
        (password.Status, password.Code).ShouldBe((HttpStatusCode.Forbidden, "session_required"));

        var other = await JobsClientAreasTests.OtherWorkspaceAsync(cluster);
        await Should.ThrowAsync<JobsNotFoundException>(() => other.RevokeApiKeyAsync(key.Id));
        var me = (await client.ListUsersAsync()).First();
        await Should.ThrowAsync<JobsNotFoundException>(() => other.RemoveUserAsync(me.Id));
        await Should.ThrowAsync<JobsNotFoundException>(() => other.ListUserSessionsAsync(me.Id));
    }

    [Fact]
    public async Task Pauses_PauseAndResumeAQueueAndAJobType_AndAJobsWaitingReasonSaysWhy()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = TypedClients.Of(cluster);

        await client.SetJobTypePausedAsync("demo", paused: true);
        await client.SetQueuePausedAsync("default", paused: true);
        var waiting = await client.SubmitAsync("demo", new { items = 1 });

        var pauses = await client.ListPausesAsync();
        (pauses.Types.Single().Name, pauses.Queues.Single().Name).ShouldBe(("demo", "default"));
        (await client.GetAsync(waiting.JobId))!.WaitingReason.ShouldNotBeNull();
        (await Should.ThrowAsync<JobsNotFoundException>(() => client.SetJobTypePausedAsync("no.such.type", paused: true))).Code.ShouldBe("job_type_not_found");
        await client.SetJobTypePausedAsync("demo", paused: false);
        await client.SetQueuePausedAsync("default", paused: false);
        (await client.ListPausesAsync()).Types.ShouldBeEmpty();
        (await client.GetAsync(waiting.JobId))!.WaitingReason.ShouldBeNull();
    }

    [Fact]
    public async Task Webhooks_CreateUpdateRotateListDeliveriesAndDelete_AndAnotherWorkspacesEndpointIsNotFound()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: new Dictionary<string, string?> { ["Webhooks:AllowedHosts:0"] = "127.0.0.1" });
        var client = TypedClients.Of(cluster);

        var created = await client.CreateWebhookAsync(new CreateWebhookRequest("http://127.0.0.1:9/in", [WebhookEvents.JobCompleted], null, "ci"));
        var updated = await client.UpdateWebhookAsync(created.Webhook.Id, new UpdateWebhookRequest(null, null, ["demo"], "ci hook", null));
        var rotated = await client.RotateWebhookSecretAsync(created.Webhook.Id);

        created.Secret.ShouldNotBeNullOrEmpty();
        updated.Description.ShouldBe("ci hook");
        updated.JobTypes.ShouldBe(["demo"]);
        rotated.Secret.ShouldNotBe(created.Secret);
        (await client.ListWebhooksAsync()).Select(w => w.Id).ShouldBe([created.Webhook.Id]);
        (await client.GetWebhookAsync(created.Webhook.Id)).ShouldNotBeNull().Url.ShouldBe("http://127.0.0.1:9/in");
        (await client.ListWebhookDeliveriesAsync(created.Webhook.Id, limit: 10)).Items.ShouldBeEmpty();
        await Should.ThrowAsync<JobsNotFoundException>(() => client.RedeliverWebhookAsync(created.Webhook.Id, Guid.NewGuid()));
        (await Should.ThrowAsync<JobsValidationException>(() => client.CreateWebhookAsync(new CreateWebhookRequest("ftp://x/in", [WebhookEvents.JobCompleted], null, null))))
            .Errors.Keys.ShouldContain("url");

        var other = await JobsClientAreasTests.OtherWorkspaceAsync(cluster);
        (await other.GetWebhookAsync(created.Webhook.Id)).ShouldBeNull();
        await Should.ThrowAsync<JobsNotFoundException>(() => other.UpdateWebhookAsync(created.Webhook.Id, new UpdateWebhookRequest(null, null, null, "mine", null)));
        await Should.ThrowAsync<JobsNotFoundException>(() => other.ListWebhookDeliveriesAsync(created.Webhook.Id));
        await Should.ThrowAsync<JobsNotFoundException>(() => other.DeleteWebhookAsync(created.Webhook.Id));

        await client.DeleteWebhookAsync(created.Webhook.Id);
        (await client.GetWebhookAsync(created.Webhook.Id)).ShouldBeNull();
    }

    [Fact]
    public async Task Contacts_SequencesAndCampaigns_ReadWithTheirFilters_AndAnotherWorkspacesCampaignIsNotFound()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var client = TypedClients.Of(cluster);
        await cluster.InsertContactsAsync(cluster.Caller.WorkspaceId, [new("ada@example.com", OptedOut: true), new("bob@example.com")]);

        (await client.ListContactsAsync(new ContactQuery())).Items.Count.ShouldBe(2);
        (await client.ListContactsAsync(new ContactQuery(Search: "", OptedOut: true))).Items.Single().Email.ShouldBe("ada@example.com");
        (await client.ListContactsAsync(new ContactQuery(Sort: "email"), limit: 1)).NextCursor.ShouldNotBeNull();
        var ids = await client.ListContactIdsAsync(new ContactQuery(Search: "bob"), limit: 0);
        (ids.Total, ids.Ids.Count).ShouldBe((1L, 0));
        (await Should.ThrowAsync<JobsValidationException>(() => client.ListContactsAsync(new ContactQuery(Sort: "age")))).Errors.Keys.ShouldContain("sort");
        (await client.ListSequencesAsync()).Items.ShouldNotBeNull();

        (await client.ListCampaignsAsync(limit: 10)).Items.ShouldBeEmpty();
        (await client.GetCampaignAsync(Guid.NewGuid())).ShouldBeNull();
        var other = await JobsClientAreasTests.OtherWorkspaceAsync(cluster);
        (await other.ListContactsAsync(new ContactQuery())).Items.ShouldBeEmpty();
        (await other.ListContactIdsAsync(new ContactQuery())).Total.ShouldBe(0);
    }
}
