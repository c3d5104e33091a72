using System.Net;
using Jobs.Api.Auth;
using Jobs.Api.Live;
using Jobs.Core.Identity;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

/// <summary>
/// Named API keys: shown once and stored as a hash with a visible prefix, listed without secrets, revoked so that the
/// very next request fails on every API instance (with Redis up, and with Redis down), scoped to the workspace.
/// </summary>
public sealed class ApiKeysTests(Servers servers)
{
    [Fact]
    public async Task CreatedKey_Works_IsListedByItsPrefixOnly_AndTheDatabaseHoldsNoPlainKey()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var store = cluster.Api.Services.GetRequiredService<IWorkspaceStore>();
        await store.SessionCreateAsync(cluster.Caller, TimeSpan.FromHours(1), CancellationToken.None);

        var (status, created) = await cluster.Client.PostAsync("/api/keys", new { name = "  ci deploys  " });

        status.ShouldBe(HttpStatusCode.Created, created.ToString());
        var apiKey = created.GetProperty("apiKey").GetString()!;
        var id = created.GetProperty("id").GetGuid();
        created.GetProperty("name").GetString().ShouldBe("ci deploys");
        created.GetProperty("prefix").GetString().ShouldBe(ApiKeyHasher.PrefixOf(apiKey));
        apiKey.ShouldStartWith(created.GetProperty("prefix").GetString()!);
        apiKey.Length.ShouldBeGreaterThan(ApiKeyHasher.PrefixLength + 20);

        using var withKey = cluster.Api.ClientWithKey(apiKey);
        var (meStatus, me) = await withKey.SendJsonAsync(HttpMethod.Get, "/api/me");
        meStatus.ShouldBe(HttpStatusCode.OK);
        me.GetProperty("userId").GetGuid().ShouldBe(cluster.Caller.UserId);
        me.GetProperty("role").GetString().ShouldBe("admin");

        var items = await cluster.Client.ItemsAsync("/api/keys");
        // The seeded key and this one; the session key of a UI sign-in is not a named key and is not listed.
        items.Length.ShouldBe(2);
        var listed = items.Single(k => k.GetProperty("id").GetGuid() == id);
        listed.GetProperty("prefix").GetString().ShouldBe(ApiKeyHasher.PrefixOf(apiKey));
        listed.GetProperty("createdBy").GetProperty("userId").GetGuid().ShouldBe(cluster.Caller.UserId);
        listed.GetProperty("createdBy").GetProperty("email").GetString().ShouldEndWith("@test.local");
        listed.GetProperty("revokedAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.Null);
        listed.TryGetProperty("apiKey", out _).ShouldBeFalse();
        string.Join(",", items.Select(i => i.ToString())).ShouldNotContain(apiKey[ApiKeyHasher.PrefixLength..]);

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM api_keys k WHERE strpos(to_jsonb(k)::text, @key) > 0", ("key", apiKey))).ShouldBe(0);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE key_hash = sha256(convert_to(@key, 'UTF8')) AND kind = 'key'", ("key", apiKey))).ShouldBe(1);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"name":"   "}""")]
    [InlineData("""{"name":null}""")]
    [InlineData("""{"name":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}""")]
    public async Task CreateKey_WithoutAUsableName_NamesTheField_AndMakesNoKey(string body)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/keys", body);

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").TryGetProperty("name", out _).ShouldBeTrue();
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM api_keys")).ShouldBe(1);
    }

    [Fact]
    public async Task RevokedKey_Answers401_OnItsVeryNextRequest_OnEveryInstance_EvenOneThatHadItCached()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var second = cluster.StartApi();
        await WaitTrustedAsync(cluster.Api.Services.GetRequiredService<ApiKeyCache>(), second.Services.GetRequiredService<ApiKeyCache>());
        var (id, apiKey) = await cluster.Client.CreateKeyAsync();
        using var onFirst = cluster.Api.ClientWithKey(apiKey);
        using var onSecond = second.ClientWithKey(apiKey);
        (await onSecond.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
        (await onFirst.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
        // Proof that the second instance serves the key from its cache: revoked behind its back, it still works there.
        await cluster.ScalarAsync<int>("UPDATE api_keys SET revoked_at = now() WHERE id = @id", ("id", id));
        (await onSecond.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
        await cluster.ScalarAsync<int>("UPDATE api_keys SET revoked_at = NULL WHERE id = @id", ("id", id));

        using (var revoke = await cluster.Client.DeleteAsync($"/api/keys/{id}"))
        {
            revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        var (status, problem) = await onSecond.SendJsonAsync(HttpMethod.Get, "/api/me");
        status.ShouldBe(HttpStatusCode.Unauthorized);
        problem.GetProperty("code").GetString().ShouldBe("unauthenticated");
        (await onFirst.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await onSecond.SendJsonAsync(HttpMethod.Post, "/hubs/jobs/negotiate?negotiateVersion=1")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await cluster.Client.ItemsAsync("/api/keys")).Single(k => k.GetProperty("id").GetGuid() == id)
            .GetProperty("revokedAt").ValueKind.ShouldBe(System.Text.Json.JsonValueKind.String);

        // Revoking again changes nothing and answers the same.
        var revokedAt = await cluster.ScalarAsync<DateTime>("SELECT revoked_at FROM api_keys WHERE id = @id", ("id", id));
        using (var again = await cluster.Client.DeleteAsync($"/api/keys/{id}"))
        {
            again.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await cluster.ScalarAsync<DateTime>("SELECT revoked_at FROM api_keys WHERE id = @id", ("id", id))).ShouldBe(revokedAt);
    }

    [Fact]
    public async Task RevokingAKey_ClosesItsOpenSignalRConnections_OnEveryInstance_AndItCannotReconnect()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var second = cluster.StartApi();
        await WaitTrustedAsync(cluster.Api.Services.GetRequiredService<ApiKeyCache>(), second.Services.GetRequiredService<ApiKeyCache>());
        var (id, apiKey) = await cluster.Client.CreateKeyAsync("revoked");
        var (_, keptKey) = await cluster.Client.CreateKeyAsync("kept");
        using var onSecond = second.ClientWithKey(apiKey);
        var hub = new Uri(onSecond.BaseAddress!, JobsHub.Path);
        await using var revoked = await ConnectAsync(hub, apiKey);
        await using var kept = await ConnectAsync(hub, keptKey);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        revoked.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        using (var revoke = await cluster.Client.DeleteAsync($"/api/keys/{id}"))
        {
            revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        revoked.State.ShouldBe(HubConnectionState.Disconnected);
        await kept.InvokeAsync("SubscribeWorkspace");
        kept.State.ShouldBe(HubConnectionState.Connected);
        (await Should.ThrowAsync<HttpRequestException>(() => ConnectAsync(hub, apiKey))).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RevokingAKey_EndsItsOpenEventStreams_OnEveryInstance_AndItCannotReopenThem()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var second = cluster.StartApi();
        await WaitTrustedAsync(cluster.Api.Services.GetRequiredService<ApiKeyCache>(), second.Services.GetRequiredService<ApiKeyCache>());
        var (id, apiKey) = await cluster.Client.CreateKeyAsync("revoked");
        var (_, keptKey) = await cluster.Client.CreateKeyAsync("kept");
        // A pending job with no worker: its stream would stay open (heartbeats only) until the job ends.
        var jobId = await cluster.Client.SubmitDemoAsync(items: 1);
        using var revokedClient = second.ClientWithKey(apiKey);
        using var keptClient = second.ClientWithKey(keptKey);
        using var revokedResponse = await EventStreamReader.OpenAsync(revokedClient, jobId);
        using var keptResponse = await EventStreamReader.OpenAsync(keptClient, jobId);
        using var revokedStream = new EventStreamReader(await revokedResponse.Content.ReadAsStreamAsync());
        using var keptStream = new EventStreamReader(await keptResponse.Content.ReadAsStreamAsync());
        (await revokedStream.ReadAsync(TimeSpan.FromSeconds(10)))!.Json.GetProperty("status").GetString().ShouldBe("pending");
        (await keptStream.ReadAsync(TimeSpan.FromSeconds(10)))!.Json.GetProperty("status").GetString().ShouldBe("pending");

        using (var revoke = await cluster.Client.DeleteAsync($"/api/keys/{id}"))
        {
            revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        // The revoked key's stream closes (the reader sees its end); the other key's stays open and hears the cancel.
        (await revokedStream.ReadEventsToEndAsync(TimeSpan.FromSeconds(10))).ShouldBeEmpty();
        (await cluster.Client.PostAsync($"/api/jobs/{jobId}/cancel")).Status.ShouldBe(HttpStatusCode.OK);
        var rest = await keptStream.ReadEventsToEndAsync(TimeSpan.FromSeconds(10));
        rest.ShouldHaveSingleItem().Json.GetProperty("status").GetString().ShouldBe("cancelled");
        using var reopened = await EventStreamReader.OpenAsync(revokedClient, jobId);
        reopened.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task KeyRevokedWhileRedisIsDown_Answers401_OnAnInstanceThatHadItCached_AndStaysRevokedWhenRedisIsBack()
    {
        await using var redis = await servers.StartPrivateRedisAsync();
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, redisConnectionString: redis.ConnectionString);
        var second = cluster.StartApi();
        var secondCache = second.Services.GetRequiredService<ApiKeyCache>();
        await WaitTrustedAsync(cluster.Api.Services.GetRequiredService<ApiKeyCache>(), secondCache);
        var (id, apiKey) = await cluster.Client.CreateKeyAsync();
        using var onSecond = second.ClientWithKey(apiKey);
        (await onSecond.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);

        await redis.StopAsync();
        await Eventually.TrueAsync(() => Task.FromResult(!secondCache.IsTrusted), "the second instance to notice Redis is down");
        using (var revoke = await cluster.Client.DeleteAsync($"/api/keys/{id}"))
        {
            revoke.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await onSecond.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);

        await redis.RestartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(secondCache.IsTrusted), "the second instance to trust its cache again", TimeSpan.FromSeconds(30));
        (await onSecond.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnotherWorkspacesKeyId_AnswersLikeAnUnknownOne_AndTheKeyKeepsWorking()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var (theirId, theirKey) = await other.CreateKeyAsync("theirs");

        foreach (var id in new[] { theirId.ToString(), Guid.CreateVersion7().ToString(), "not-a-guid" })
        {
            var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Delete, $"/api/keys/{id}", null);
            status.ShouldBe(HttpStatusCode.NotFound, id);
            problem.GetProperty("code").GetString().ShouldBe("api_key_not_found");
        }

        (await cluster.Client.ItemsAsync("/api/keys")).ShouldAllBe(k => k.GetProperty("id").GetGuid() != theirId);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE id = @id AND revoked_at IS NULL", ("id", theirId))).ShouldBe(1);
        using var withTheirKey = cluster.Api.ClientWithKey(theirKey);
        (await withTheirKey.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task LastUsedAt_IsSetWhenTheKeyIsUsed_AndWrittenAtMostOnceAMinute()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (id, apiKey) = await cluster.Client.CreateKeyAsync();
        (await cluster.ScalarAsync<DateTime?>("SELECT last_used_at FROM api_keys WHERE id = @id", ("id", id))).ShouldBeNull();
        using var withKey = cluster.Api.ClientWithKey(apiKey);

        (await withKey.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);

        await Eventually.TrueAsync(async () => await cluster.ScalarAsync<DateTime?>("SELECT last_used_at FROM api_keys WHERE id = @id", ("id", id)) is not null,
            "last_used_at to be written");
        var first = await cluster.ScalarAsync<DateTime>("SELECT last_used_at FROM api_keys WHERE id = @id", ("id", id));
        var listed = (await cluster.Client.ItemsAsync("/api/keys")).Single(k => k.GetProperty("id").GetGuid() == id);
        listed.GetProperty("lastUsedAt").GetDateTimeOffset().UtcDateTime.ShouldBe(first, TimeSpan.FromMilliseconds(1));

        // A second instance's write within the minute is refused by the conditional update too.
        var second = cluster.StartApi();
        using var onSecond = second.ClientWithKey(apiKey);
        for (var i = 0; i < 3; i++)
        {
            (await withKey.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
            (await onSecond.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
        }

        await cluster.Api.Services.GetRequiredService<IWorkspaceStore>().ApiKeyTouchAsync(id, CancellationToken.None);
        (await cluster.ScalarAsync<DateTime>("SELECT last_used_at FROM api_keys WHERE id = @id", ("id", id))).ShouldBe(first);

        // Once the minute is over, the next use writes it again.
        await cluster.ScalarAsync<int>("UPDATE api_keys SET last_used_at = now() - interval '2 minutes' WHERE id = @id", ("id", id));
        await cluster.Api.Services.GetRequiredService<IWorkspaceStore>().ApiKeyTouchAsync(id, CancellationToken.None);
        (await cluster.ScalarAsync<DateTime>("SELECT last_used_at FROM api_keys WHERE id = @id", ("id", id))).ShouldBeGreaterThan(first);
    }

    private static async Task<HubConnection> ConnectAsync(Uri hub, string apiKey)
    {
        var connection = new HubConnectionBuilder().WithUrl(hub, o => o.AccessTokenProvider = () => Task.FromResult<string?>(apiKey)).Build();
        try
        {
            await connection.StartAsync();
            await connection.InvokeAsync("SubscribeWorkspace");
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static Task WaitTrustedAsync(params ApiKeyCache[] caches) =>
        Eventually.TrueAsync(() => Task.FromResult(caches.All(c => c.IsTrusted)), "every API instance to subscribe to key evictions");
}
