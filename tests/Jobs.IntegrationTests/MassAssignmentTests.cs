using System.Net;
using System.Text.Json;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>Fields a client may not set are refused with 400 naming them, and never applied.</summary>
public sealed class MassAssignmentTests(Servers servers)
{
    [Theory]
    [InlineData("workspaceId", "\"{other}\"")]
    [InlineData("workspace_id", "\"{other}\"")]
    [InlineData("status", "\"completed\"")]
    [InlineData("attempt", "7")]
    [InlineData("leaseOwner", "\"me\"")]
    [InlineData("userId", "\"{otherUser}\"")]
    [InlineData("id", "\"{other}\"")]
    [InlineData("result", "{\"ok\":true}")]
    [InlineData("scheduleId", "\"{other}\"")]
    [InlineData("priorty", "5")]
    public async Task ASubmissionSettingAFieldTheClientDoesNotOwn_Answers400NamingIt_AndStoresNothing(string field, string value)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var json = $$"""{"type":"demo","payload":{"items":1},"{{field}}":{{value.Replace("{other}", otherCaller.WorkspaceId.ToString()).Replace("{otherUser}", otherCaller.UserId.ToString())}}}""";

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs", json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue(problem.ToString());
        messages[0].GetString().ShouldNotBeNullOrEmpty();
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }

    [Theory]
    [InlineData("hintedAt")]
    [InlineData("enqueuedAt")]
    public async Task ASubmissionSettingTheHintMark_UnderItsNameOrItsOldOne_IsToldTheServerSetsIt(string field)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var json = $$"""{"type":"demo","payload":{"items":1},"{{field}}":"2030-01-01T00:00:00Z"}""";

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs", json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue(problem.ToString());
        messages[0].GetString()!.ShouldContain("set by the server");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }

    [Fact]
    public async Task ABatchItemSettingAServerField_Answers400AtItsIndex_AndSubmitsNoneOfTheBatch()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var json = """
            {"jobs":[
              {"type":"demo","payload":{"items":1}},
              {"type":"demo","payload":{"items":1},"status":"completed","lease_owner":"me"}
            ]}
            """;

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs/batch", json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToArray();
        errors.ShouldBe(["jobs[1].status", "jobs[1].lease_owner"], ignoreOrder: true);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }

    [Fact]
    public async Task ABatchNamingAWorkspace_Answers400_AndSubmitsNothing()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var json = JsonSerializer.Serialize(new { workspaceId = otherCaller.WorkspaceId, jobs = new[] { new { type = "demo", payload = new { items = 1 } } } });

        var (status, problem) = await cluster.Client.SendRawAsync(HttpMethod.Post, "/api/jobs/batch", json);

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("workspaceId", out var messages).ShouldBeTrue();
        messages[0].GetString()!.ShouldContain("set by the server");
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM jobs")).ShouldBe(0);
    }

    [Theory]
    [InlineData("POST", "/api/keys", """{"name":"ci","workspaceId":"{other}"}""", "workspaceId")]
    [InlineData("POST", "/api/keys", """{"name":"ci","expiresAt":"2030-01-01T00:00:00Z"}""", "expiresAt")]
    [InlineData("POST", "/api/users/invitations", """{"email":"friend@test.local","role":"member","displayName":"Friend"}""", "displayName")]
    [InlineData("PATCH", "/api/users/{self}", """{"role":"admin","email":"someone@test.local"}""", "email")]
    [InlineData("POST", "/api/invitations/accept", """{"token":"{token}","displayName":"Ada","password":"a long enough passphrase","role":"admin"}""", "role")]
    [InlineData("POST", "/api/sessions", """{"email":"{email}","password":"a long enough passphrase","workspace":"{other}"}""", "workspace")]
    [InlineData("POST", "/api/sessions/switch", """{"workspaceId":"{other}","userId":"{other}"}""", "userId")]
    [InlineData("POST", "/api/me/password", """{"currentPassword":"a long enough passphrase","newPassword":"another long passphrase","email":"x@test.local"}""", "email")]
    [InlineData("POST", "/api/password-resets/accept", """{"token":"pwr_x","password":"another long passphrase","userId":"{other}"}""", "userId")]
    public async Task AnIdentityRequestWithAFieldItDoesNotDefine_Answers400NamingIt_AndChangesNothing(string method, string path, string json, string field)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var invitation = await cluster.Client.InviteAsync($"{Guid.NewGuid():N}@test.local", "member");
        var email = await cluster.ScalarAsync<string>("SELECT email FROM users WHERE id = @id", ("id", cluster.Caller.UserId));
        await cluster.ScalarAsync<int>("UPDATE users SET password_hash = @hash WHERE id = @id",
            ("hash", new Microsoft.AspNetCore.Identity.PasswordHasher<object>().HashPassword(null!, "a long enough passphrase")), ("id", cluster.Caller.UserId));
        json = json.Replace("{other}", otherCaller.WorkspaceId.ToString())
            .Replace("{token}", invitation.GetProperty("invitationToken").GetString())
            .Replace("{email}", email);
        const string snapshotSql = """
            SELECT concat_ws('|',
                (SELECT string_agg(id::text || coalesce(revoked_at::text, '') || name, ',' ORDER BY id) FROM api_keys),
                (SELECT string_agg(id::text || role || email || display_name || (password_hash IS NULL)::text, ',' ORDER BY id) FROM users),
                (SELECT string_agg(id::text || (used_at IS NULL)::text, ',' ORDER BY id) FROM invitations))
            """;
        var before = await cluster.ScalarAsync<string>(snapshotSql);
        using var client = path.StartsWith("/api/invitations", StringComparison.Ordinal) || path.StartsWith("/api/password-resets", StringComparison.Ordinal) || path == "/api/sessions"
            ? cluster.Api.CreateClient()
            : null;
        using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{self}", cluster.Caller.UserId.ToString()))
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await (client ?? cluster.Client).SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, body);
        var problem = JsonDocument.Parse(body).RootElement;
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").TryGetProperty(field, out var messages).ShouldBeTrue(body);
        messages[0].GetString().ShouldNotBeNullOrEmpty();
        (await cluster.ScalarAsync<string>(snapshotSql)).ShouldBe(before);
    }
}
