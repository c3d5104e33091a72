using System.Text.Json;
using Jobs.Contracts.Jobs;
using Jobs.Contracts.Webhooks;
using Jobs.Core.Identity;
using Jobs.Core.Webhooks;

namespace Jobs.StoreTests.Webhooks;

/// <summary>
/// <see cref="IWebhookStore"/> (docs/design.md, "Webhooks"): a job's final status writes its deliveries in the same
/// transaction, only for matching enabled endpoints; a claim is a fenced lease; endpoints are workspace-scoped, capped,
/// audited, and never give their secret back after create or rotate.
/// </summary>
public sealed class WebhookStoreTests(PostgresFixture postgres)
{
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);
    private readonly TestDatabase db = postgres.Shared;

    [Fact]
    public async Task A_final_status_writes_one_delivery_per_matching_enabled_endpoint_with_the_job_snapshot()
    {
        var ws = await db.NewWorkspaceAsync();
        var all = await CreateAsync(ws, [WebhookEvents.JobCompleted, WebhookEvents.JobFailed]);
        var onlyOtherType = await CreateAsync(ws, [WebhookEvents.JobCompleted], jobTypes: ["other.type"]);
        var onlyCancelled = await CreateAsync(ws, [WebhookEvents.JobCancelled]);
        var disabled = await CreateAsync(ws, [WebhookEvents.JobCompleted]);
        await db.Webhooks.EndpointUpdateAsync(ws.Caller, disabled.Endpoint.Id, new WebhookEndpointUpdateParams(null, null, null, null, false), Ct);

        var job = await ws.EndAsync(await ws.StartAsync(), JobStatus.Completed);

        (await Deliveries(ws, all)).ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            d => d.Event.ShouldBe(WebhookEvents.JobCompleted),
            d => d.JobId.ShouldBe(job.Id),
            d => d.Status.ShouldBe(WebhookDeliveryStatuses.Pending),
            d => d.Attempts.ShouldBe(0));
        (await Deliveries(ws, onlyOtherType)).ShouldBeEmpty();
        (await Deliveries(ws, onlyCancelled)).ShouldBeEmpty();
        (await Deliveries(ws, disabled)).ShouldBeEmpty();

        var dispatch = (await db.Webhooks.DispatchClaimAsync(100, Lease, Ct)).Where(d => d.EndpointId == all.Endpoint.Id).ShouldHaveSingleItem();
        dispatch.Secret.ShouldBe(all.Secret);
        dispatch.Attempt.ShouldBe(1);
        using var body = JsonDocument.Parse(dispatch.Body);
        body.RootElement.GetProperty("type").GetString().ShouldBe("job.completed");
        var data = body.RootElement.GetProperty("data");
        (data.GetProperty("id").GetGuid(), data.GetProperty("status").GetString(), data.GetProperty("attempts").GetInt32())
            .ShouldBe((job.Id, "completed", 1));
        data.GetProperty("result").GetProperty("ok").GetBoolean().ShouldBeTrue();
        data.GetProperty("completedAt").GetString().ShouldEndWith("Z");
        body.RootElement.GetProperty("timestamp").GetString().ShouldBe(data.GetProperty("completedAt").GetString());
    }

    [Fact]
    public async Task A_claim_is_a_fenced_lease_and_the_record_keeps_the_attempt_log_and_the_failure_streak()
    {
        var ws = await db.NewWorkspaceAsync();
        var endpoint = await CreateAsync(ws, [WebhookEvents.JobFailed]);
        await ws.EndAsync(await ws.StartAsync(), JobStatus.Failed);
        var first = (await db.Webhooks.DispatchClaimAsync(100, TimeSpan.Zero, Ct)).Single(d => d.EndpointId == endpoint.Endpoint.Id);
        // A zero lease: due again at once, as after a worker died mid-send; the next claim is attempt 2.
        var second = (await db.Webhooks.DispatchClaimAsync(100, Lease, Ct)).Single(d => d.EndpointId == endpoint.Endpoint.Id);
        second.Attempt.ShouldBe(2);

        var started = DateTimeOffset.UtcNow;
        (await db.Webhooks.DispatchRecordAsync(first, Failed(started, DateTimeOffset.UtcNow), Ct)).ShouldBeNull();
        var health = (await db.Webhooks.DispatchRecordAsync(second, Failed(started, DateTimeOffset.UtcNow.AddMinutes(5)), Ct)).ShouldNotBeNull();
        (health.ConsecutiveFailures, health.Enabled).ShouldBe((1, true));

        var delivery = (await Deliveries(ws, endpoint)).ShouldHaveSingleItem();
        (delivery.Status, delivery.Attempts).ShouldBe((WebhookDeliveryStatuses.Pending, 2));
        delivery.AttemptLog.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            a => a.Attempt.ShouldBe(2), a => a.StatusCode.ShouldBe(500), a => a.Error.ShouldBe("HTTP 500."));
        (await db.Webhooks.DispatchClaimAsync(100, Lease, Ct)).ShouldNotContain(d => d.EndpointId == endpoint.Endpoint.Id);

        var redelivered = (await db.Webhooks.DeliveryRedeliverAsync(ws.Id, endpoint.Endpoint.Id, delivery.Id, Ct)).ShouldNotBeNull();
        redelivered.Status.ShouldBe(WebhookDeliveryStatuses.Pending);
        var third = (await db.Webhooks.DispatchClaimAsync(100, Lease, Ct)).Single(d => d.EndpointId == endpoint.Endpoint.Id);
        third.DeliveryId.ShouldBe(delivery.Id);
        (await db.Webhooks.DispatchRecordAsync(third, new WebhookAttemptOutcome(true, started, 3, 204, null, null, null), Ct))
            .ShouldNotBeNull().ConsecutiveFailures.ShouldBe(0);
        (await Deliveries(ws, endpoint)).Single().Status.ShouldBe(WebhookDeliveryStatuses.Succeeded);
    }

    [Fact]
    public async Task Rotation_keeps_the_old_secret_for_the_overlap_and_reads_never_carry_a_secret()
    {
        var ws = await db.NewWorkspaceAsync();
        var created = await CreateAsync(ws, [WebhookEvents.JobCompleted]);
        created.Secret.ShouldStartWith(WebhookSignature.SecretPrefix);
        Convert.FromBase64String(created.Secret[WebhookSignature.SecretPrefix.Length..]).Length.ShouldBeGreaterThanOrEqualTo(24);

        var rotated = (await db.Webhooks.EndpointRotateSecretAsync(ws.Caller, created.Endpoint.Id, TimeSpan.FromHours(1), Ct)).ShouldNotBeNull();
        rotated.Secret.ShouldNotBe(created.Secret);
        rotated.Endpoint.PreviousSecretExpiresAt.ShouldNotBeNull();
        await ws.EndAsync(await ws.StartAsync(), JobStatus.Completed);
        var dispatch = (await db.Webhooks.DispatchClaimAsync(100, Lease, Ct)).Single(d => d.EndpointId == created.Endpoint.Id);
        (dispatch.Secret, dispatch.PreviousSecret).ShouldBe((rotated.Secret, created.Secret));
        dispatch.ToString().ShouldNotContain(created.Secret);

        var listed = JsonSerializer.Serialize(await db.Webhooks.EndpointListAsync(ws.Id, Ct));
        listed.ShouldNotContain(created.Secret);
        listed.ShouldNotContain(rotated.Secret);
        (await db.Workspaces.AuditEventListAsync(ws.Id, 10, null, Ct)).Select(a => a.Action)
            .ShouldBe([AuditActions.WebhookSecretRotated, AuditActions.WebhookCreated]);
    }

    [Fact]
    public async Task Endpoints_are_capped_per_workspace_and_another_workspaces_are_not_found()
    {
        var ws = await db.NewWorkspaceAsync();
        var other = await db.NewWorkspaceAsync();
        var created = await CreateAsync(ws, [WebhookEvents.JobCompleted], max: 2);
        await CreateAsync(ws, [WebhookEvents.JobCompleted], max: 2);
        (await Should.ThrowAsync<WebhookEndpointLimitException>(() => CreateAsync(ws, [WebhookEvents.JobCompleted], max: 2))).Max.ShouldBe(2);

        var id = created.Endpoint.Id;
        (await db.Webhooks.EndpointGetAsync(other.Id, id, Ct)).ShouldBeNull();
        (await db.Webhooks.EndpointUpdateAsync(other.Caller, id, new WebhookEndpointUpdateParams("https://x.example", null, null, null, false), Ct)).ShouldBeNull();
        (await db.Webhooks.EndpointRotateSecretAsync(other.Caller, id, TimeSpan.Zero, Ct)).ShouldBeNull();
        (await db.Webhooks.DeliveryListAsync(other.Id, id, 10, null, Ct)).ShouldBeNull();
        (await db.Webhooks.EndpointDeleteAsync(other.Caller, id, Ct)).ShouldBeFalse();
        (await db.Webhooks.EndpointGetAsync(ws.Id, id, Ct)).ShouldNotBeNull().Enabled.ShouldBeTrue();

        (await db.Webhooks.EndpointDeleteAsync(ws.Caller, id, Ct)).ShouldBeTrue();
        (await db.Webhooks.EndpointGetAsync(ws.Id, id, Ct)).ShouldBeNull();
    }

    [Fact]
    public async Task Disabling_on_the_platforms_behalf_says_why_is_audited_once_and_enabling_clears_it()
    {
        var ws = await db.NewWorkspaceAsync();
        var created = await CreateAsync(ws, [WebhookEvents.JobCompleted]);

        (await db.Webhooks.EndpointDisableAsync(created.Endpoint.Id, "The endpoint answered 410 Gone.", Ct)).ShouldBeTrue();
        (await db.Webhooks.EndpointDisableAsync(created.Endpoint.Id, "again", Ct)).ShouldBeFalse();
        var disabled = (await db.Webhooks.EndpointGetAsync(ws.Id, created.Endpoint.Id, Ct)).ShouldNotBeNull();
        (disabled.Enabled, disabled.DisabledReason).ShouldBe((false, "The endpoint answered 410 Gone."));
        var audit = (await db.Workspaces.AuditEventListAsync(ws.Id, 10, null, Ct)).Where(a => a.Action == AuditActions.WebhookDisabled).ShouldHaveSingleItem();
        audit.ActorUserId.ShouldBeNull();
        audit.Details.GetProperty("reason").GetString().ShouldBe("The endpoint answered 410 Gone.");

        var enabled = (await db.Webhooks.EndpointUpdateAsync(ws.Caller, created.Endpoint.Id, new WebhookEndpointUpdateParams(null, null, null, [], true), Ct)).ShouldNotBeNull();
        (enabled.Enabled, enabled.DisabledReason, enabled.DisabledAt, enabled.JobTypes).ShouldBe((true, null, null, null));
    }

    [Fact]
    public async Task Retention_deletes_finished_deliveries_with_their_attempts_and_never_a_pending_one()
    {
        var ws = await db.NewWorkspaceAsync();
        var endpoint = await CreateAsync(ws, [WebhookEvents.JobCompleted, WebhookEvents.JobFailed]);
        await ws.EndAsync(await ws.StartAsync(), JobStatus.Completed);
        await ws.EndAsync(await ws.StartAsync(), JobStatus.Failed);
        var claimed = (await db.Webhooks.DispatchClaimAsync(100, Lease, Ct)).Where(d => d.EndpointId == endpoint.Endpoint.Id).ToList();
        claimed.Count.ShouldBe(2);
        var started = DateTimeOffset.UtcNow;
        await db.Webhooks.DispatchRecordAsync(claimed[0], new WebhookAttemptOutcome(true, started, 3, 200, null, null, null), Ct);
        await db.Webhooks.DispatchRecordAsync(claimed[1], Failed(started, DateTimeOffset.UtcNow.AddHours(1)), Ct);

        (await db.Webhooks.DeliveryDeleteFinishedAsync(DateTimeOffset.UtcNow.AddMinutes(-1), 1000, Ct)).ShouldBe(0);
        await db.Webhooks.DeliveryDeleteFinishedAsync(DateTimeOffset.UtcNow.AddMinutes(1), 1000, Ct);

        var left = (await Deliveries(ws, endpoint)).ShouldHaveSingleItem();
        (left.Id, left.Status).ShouldBe((claimed[1].DeliveryId, WebhookDeliveryStatuses.Pending));
        await using var attempts = db.DataSource.CreateCommand("SELECT count(*) FROM webhook_attempts WHERE delivery_id = @id");
        attempts.Parameters.AddWithValue("id", claimed[0].DeliveryId);
        ((long)(await attempts.ExecuteScalarAsync(Ct))!).ShouldBe(0);
    }

    private static WebhookAttemptOutcome Failed(DateTimeOffset started, DateTimeOffset next) => new(false, started, 12, 500, "HTTP 500.", "oops", next);

    private Task<WebhookEndpointWithSecret> CreateAsync(TestWorkspace ws, string[] events, string[]? jobTypes = null, int max = 20) =>
        db.Webhooks.EndpointCreateAsync(ws.Caller, new WebhookEndpointCreateParams("https://hooks.example/in", null, events, jobTypes), max, Ct);

    private async Task<IReadOnlyList<WebhookDelivery>> Deliveries(TestWorkspace ws, WebhookEndpointWithSecret endpoint) =>
        (await db.Webhooks.DeliveryListAsync(ws.Id, endpoint.Endpoint.Id, 50, null, Ct)).ShouldNotBeNull();
}
