using System.Net;
using System.Text.Json;
using Jobs.Api.Live;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Jobs.IntegrationTests;

/// <summary>
/// Taking access away: an admin removes a user (every key and session of theirs stops at once and their live
/// connections close), cancels an invitation, ends a member's sessions, or issues a one-time password reset link; a
/// user changes their own password. Never the last admin; every change in the workspace's audit trail.
/// </summary>
public sealed class OffboardingTests(Servers servers)
{
    [Fact]
    public async Task RemovingAUser_StopsTheirKeysAndSessions_ClosesTheirLiveConnections_AndKeepsTheirJobs()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (leaver, leaverId, email) = await cluster.AddUserAsync(cluster.Client, "admin");
        using var _ = leaver;
        var (_, theirKey) = await leaver.CreateKeyAsync("leaver's deploy key");
        using var withTheirKey = cluster.Api.ClientWithKey(theirKey);
        var job = await withTheirKey.SubmitDemoAsync(items: 1);
        await using var live = await ConnectAsync(cluster, theirKey);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        live.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var (status, body) = await cluster.Client.SendJsonAsync(HttpMethod.Delete, $"/api/users/{leaverId}");

        status.ShouldBe(HttpStatusCode.NoContent, body.ToString());
        (await leaver.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await withTheirKey.SendJsonAsync(HttpMethod.Get, "/api/jobs")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        using var anonymous = cluster.Api.CreateClient();
        (await anonymous.PostAsync("/api/sessions", new { email, password = IdentityClient.Password })).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await cluster.Client.ItemsAsync("/api/users")).ShouldAllBe(u => u.GetProperty("id").GetGuid() != leaverId);
        (await cluster.Client.ItemsAsync("/api/keys")).Single(k => k.GetProperty("name").GetString() == "leaver's deploy key")
            .GetProperty("revokedAt").ValueKind.ShouldBe(JsonValueKind.String);
        // What they did stays, and says who did it.
        var timeline = await cluster.Client.GetTimelineAsync(job);
        timeline[0].Actor!.Email.ShouldBe(email);
        // Removing again answers like an unknown user; the address can be invited anew.
        (await cluster.Client.SendJsonAsync(HttpMethod.Delete, $"/api/users/{leaverId}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await cluster.Client.InviteAsync(email, "member")).GetProperty("userId").GetGuid().ShouldNotBe(leaverId);
    }

    [Fact]
    public async Task TheLastAdmin_CannotBeRemoved_ButAnAdminWithAnotherAdminBesideThemCan()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var self = $"/api/users/{cluster.Caller.UserId}";
        // A pending admin invitee does not count: they cannot administer anything yet.
        await cluster.Client.InviteAsync($"{Guid.NewGuid():N}@test.local", "admin");

        var (status, problem) = await cluster.Client.SendJsonAsync(HttpMethod.Delete, self);

        (status, problem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Conflict, "last_admin"));
        (await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
        var (other, otherId, _) = await cluster.AddUserAsync(cluster.Client, "admin");
        using var _ = other;
        (await other.SendJsonAsync(HttpMethod.Delete, self)).Status.ShouldBe(HttpStatusCode.NoContent);
        (await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        var (last, lastProblem) = await other.SendJsonAsync(HttpMethod.Delete, $"/api/users/{otherId}");
        (last, lastProblem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Conflict, "last_admin"));
    }

    [Fact]
    public async Task CancellingAnInvitation_RetiresItsLink()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var email = $"{Guid.NewGuid():N}@test.local";
        var invitation = await cluster.Client.InviteAsync(email, "member");
        var userId = invitation.GetProperty("userId").GetGuid();

        (await cluster.Client.SendJsonAsync(HttpMethod.Delete, $"/api/users/{userId}")).Status.ShouldBe(HttpStatusCode.NoContent);

        using var anonymous = cluster.Api.CreateClient();
        var (status, problem) = await anonymous.PostAsync("/api/invitations/accept",
            new { token = invitation.GetProperty("invitationToken").GetString(), displayName = "Too Late", password = IdentityClient.Password });
        (status, problem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.BadRequest, "invitation_invalid"));
        (await cluster.Client.ItemsAsync("/api/users")).ShouldAllBe(u => u.GetProperty("email").GetString() != email);
        var audit = await cluster.Client.ItemsAsync("/api/audit");
        audit[0].GetProperty("action").GetString().ShouldBe("invitation.cancelled");
        audit[0].GetProperty("target").GetProperty("email").GetString().ShouldBe(email);
    }

    [Fact]
    public async Task AnAdmin_SeesAMembersSessions_EndsOne_ThenAll_AndTheirNamedKeysStay()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (first, memberId, email) = await cluster.AddUserAsync(cluster.Client, "admin");
        using var _ = first;
        var (_, keyOfTheirs) = await first.CreateKeyAsync("theirs");
        using var anonymous = cluster.Api.CreateClient();
        var (_, second) = await anonymous.PostAsync("/api/sessions", new { email, password = IdentityClient.Password });
        using var secondClient = cluster.Api.ClientWithKey(second.GetProperty("apiKey").GetString()!);
        await using var live = await ConnectAsync(cluster, second.GetProperty("apiKey").GetString()!);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        live.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var sessions = await cluster.Client.ItemsAsync($"/api/users/{memberId}/sessions");

        sessions.Length.ShouldBe(2);
        sessions.ShouldAllBe(s => s.GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        var secondPrefix = second.GetProperty("apiKey").GetString()![..12];
        var secondId = sessions.Single(s => s.GetProperty("prefix").GetString() == secondPrefix).GetProperty("id").GetGuid();
        (await cluster.Client.SendJsonAsync(HttpMethod.Delete, $"/api/users/{memberId}/sessions/{secondId}")).Status.ShouldBe(HttpStatusCode.NoContent);
        (await secondClient.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        (await first.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
        (await cluster.Client.SendJsonAsync(HttpMethod.Delete, $"/api/users/{memberId}/sessions/{secondId}")).Status.ShouldBe(HttpStatusCode.NotFound);

        (await cluster.Client.SendJsonAsync(HttpMethod.Delete, $"/api/users/{memberId}/sessions")).Status.ShouldBe(HttpStatusCode.NoContent);

        (await first.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await cluster.Client.ItemsAsync($"/api/users/{memberId}/sessions")).ShouldBeEmpty();
        using var withTheirKey = cluster.Api.ClientWithKey(keyOfTheirs);
        (await withTheirKey.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
        (await cluster.Client.ItemsAsync("/api/audit")).Select(e => e.GetProperty("action").GetString()).Take(2)
            .ShouldBe(["user.sessions_revoked", "user.sessions_revoked"]);
    }

    [Fact]
    public async Task ChangingYourPassword_NeedsTheCurrentOne_EndsYourOtherSessions_AndKeepsThisOne()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (here, _, email) = await cluster.AddUserAsync(cluster.Client, "member");
        using var _ = here;
        using var anonymous = cluster.Api.CreateClient();
        var (_, elsewhere) = await anonymous.PostAsync("/api/sessions", new { email, password = IdentityClient.Password });
        using var elsewhereClient = cluster.Api.ClientWithKey(elsewhere.GetProperty("apiKey").GetString()!);
        const string newPassword = "a brand new passphrase";

        var (wrong, wrongProblem) = await here.PostAsync("/api/me/password", new { currentPassword = "not my password", newPassword });
        wrong.ShouldBe(HttpStatusCode.BadRequest);
        wrongProblem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["currentPassword"]);
        var (weak, weakProblem) = await here.PostAsync("/api/me/password", new { currentPassword = IdentityClient.Password, newPassword = "qwertyuiop" });
        weak.ShouldBe(HttpStatusCode.BadRequest);
        weakProblem.GetProperty("errors").GetProperty("newPassword")[0].GetString()!.ShouldContain("common");
        (await elsewhereClient.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);

        var (changed, body) = await here.PostAsync("/api/me/password", new { currentPassword = IdentityClient.Password, newPassword });

        changed.ShouldBe(HttpStatusCode.NoContent, body.ToString());
        (await here.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
        (await elsewhereClient.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("/api/sessions", new { email, password = IdentityClient.Password })).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("/api/sessions", new { email, password = newPassword })).Status.ShouldBe(HttpStatusCode.Created);
        // A program's key is not a person who knows the password.
        var (byKey, keyProblem) = await cluster.Client.PostAsync("/api/me/password", new { currentPassword = "x", newPassword });
        (byKey, keyProblem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Forbidden, "session_required"));
    }

    [Fact]
    public async Task ChangingYourPassword_ChangesItInEveryWorkspaceItOpens()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var otherClient = other;
        var (here, _, email) = await cluster.AddUserAsync(cluster.Client, "member");
        using var __ = here;
        using var anonymous = cluster.Api.CreateClient();
        var invitation = await other.InviteAsync(email, "member");
        var (_, there) = await anonymous.PostAsync("/api/invitations/accept",
            new { token = invitation.GetProperty("invitationToken").GetString(), displayName = "There", password = IdentityClient.Password });
        using var thereClient = cluster.Api.ClientWithKey(there.GetProperty("apiKey").GetString()!);

        (await here.PostAsync("/api/me/password", new { currentPassword = IdentityClient.Password, newPassword = "one new passphrase for both" }))
            .Status.ShouldBe(HttpStatusCode.NoContent);

        (await thereClient.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        var (status, session) = await anonymous.PostAsync("/api/sessions", new { email, password = "one new passphrase for both" });
        status.ShouldBe(HttpStatusCode.Created);
        session.GetProperty("me").GetProperty("workspaces").GetArrayLength().ShouldBe(2);
        (await other.ItemsAsync("/api/audit")).Select(e => e.GetProperty("action").GetString()).ShouldContain("password.changed");
    }

    [Fact]
    public async Task AResetLink_IsShownOnce_WorksOnce_SetsTheNewPassword_AndEndsTheUsersSessions()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (member, memberId, email) = await cluster.AddUserAsync(cluster.Client, "member");
        using var _ = member;

        var (issued, reset) = await cluster.Client.PostAsync($"/api/users/{memberId}/password-reset");

        issued.ShouldBe(HttpStatusCode.Created, reset.ToString());
        var token = reset.GetProperty("resetToken").GetString()!;
        reset.GetProperty("resetUrlPath").GetString().ShouldBe($"/reset-password?token={token}");
        reset.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddHours(24), TimeSpan.FromMinutes(1));
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM password_resets r WHERE strpos(to_jsonb(r)::text, @token) > 0", ("token", token))).ShouldBe(0);
        // Issuing a link changes nothing yet.
        (await member.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
        using var anonymous = cluster.Api.CreateClient();
        var (weak, weakProblem) = await anonymous.PostAsync("/api/password-resets/accept", new { token, password = "aaaaaaaaaaaa" });
        (weak, weakProblem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.BadRequest, "validation_failed"));

        var (used, session) = await anonymous.PostAsync("/api/password-resets/accept", new { token, password = "reset to a fresh passphrase" });

        used.ShouldBe(HttpStatusCode.Created, session.ToString());
        session.GetProperty("me").GetProperty("userId").GetGuid().ShouldBe(memberId);
        (await member.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("/api/sessions", new { email, password = IdentityClient.Password })).Status.ShouldBe(HttpStatusCode.Unauthorized);
        (await anonymous.PostAsync("/api/sessions", new { email, password = "reset to a fresh passphrase" })).Status.ShouldBe(HttpStatusCode.Created);
        var (again, againProblem) = await anonymous.PostAsync("/api/password-resets/accept", new { token, password = "yet another passphrase" });
        (again, againProblem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.BadRequest, "reset_invalid"));
    }

    [Fact]
    public async Task ANewResetLink_RetiresTheOldOne_AndAPendingInviteeGetsNone()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (member, memberId, _) = await cluster.AddUserAsync(cluster.Client, "member");
        using var _ = member;
        var first = (await cluster.Client.PostAsync($"/api/users/{memberId}/password-reset")).Body.GetProperty("resetToken").GetString();
        var second = (await cluster.Client.PostAsync($"/api/users/{memberId}/password-reset")).Body.GetProperty("resetToken").GetString();
        using var anonymous = cluster.Api.CreateClient();

        (await anonymous.PostAsync("/api/password-resets/accept", new { token = first, password = "reset to a fresh passphrase" }))
            .Body.GetProperty("code").GetString().ShouldBe("reset_invalid");
        (await anonymous.PostAsync("/api/password-resets/accept", new { token = second, password = "reset to a fresh passphrase" }))
            .Status.ShouldBe(HttpStatusCode.Created);
        var pending = (await cluster.Client.InviteAsync($"{Guid.NewGuid():N}@test.local", "member")).GetProperty("userId").GetGuid();
        var (status, problem) = await cluster.Client.PostAsync($"/api/users/{pending}/password-reset");
        (status, problem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Conflict, "invitation_pending"));
    }

    [Fact]
    public async Task AResetIssuedInOneWorkspace_ChangesOnlyThatWorkspacesAccount()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var (here, hereId, email) = await cluster.AddUserAsync(cluster.Client, "member");
        using var __ = here;
        using var anonymous = cluster.Api.CreateClient();
        var invitation = await other.InviteAsync(email, "admin");
        var (_, there) = await anonymous.PostAsync("/api/invitations/accept",
            new { token = invitation.GetProperty("invitationToken").GetString(), displayName = "There", password = IdentityClient.Password });
        using var thereClient = cluster.Api.ClientWithKey(there.GetProperty("apiKey").GetString()!);
        var token = (await cluster.Client.PostAsync($"/api/users/{hereId}/password-reset")).Body.GetProperty("resetToken").GetString();

        (await anonymous.PostAsync("/api/password-resets/accept", new { token, password = "chosen by whoever holds the link" })).Status.ShouldBe(HttpStatusCode.Created);

        // The other workspace's account keeps its password and its session: this workspace's admin cannot reach it.
        (await thereClient.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
        var (status, session) = await anonymous.PostAsync("/api/sessions", new { email, password = IdentityClient.Password });
        status.ShouldBe(HttpStatusCode.Created);
        session.GetProperty("me").GetProperty("workspaces").EnumerateArray().Select(w => w.GetProperty("workspaceId").GetGuid())
            .ShouldBe([otherCaller.WorkspaceId]);
    }

    [Fact]
    public async Task TheAuditTrail_SaysWhoDidWhatToWhomAndWhen_NewestFirst_ToAdminsOnly()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var adminEmail = await cluster.ScalarAsync<string>("SELECT email FROM users WHERE id = @id", ("id", cluster.Caller.UserId));
        var (member, memberId, email) = await cluster.AddUserAsync(cluster.Client, "member");
        using var _ = member;
        (await cluster.Client.SendJsonAsync(HttpMethod.Patch, $"/api/users/{memberId}", new { role = "admin" })).Status.ShouldBe(HttpStatusCode.OK);
        (await cluster.Client.SendJsonAsync(HttpMethod.Patch, $"/api/users/{memberId}", new { role = "member" })).Status.ShouldBe(HttpStatusCode.OK);
        // Refused changes leave no trace.
        (await cluster.Client.SendJsonAsync(HttpMethod.Delete, $"/api/users/{cluster.Caller.UserId}")).Status.ShouldBe(HttpStatusCode.Conflict);
        (await cluster.Client.PostAsync($"/api/users/{memberId}/password-reset")).Status.ShouldBe(HttpStatusCode.Created);
        (await member.SendJsonAsync(HttpMethod.Get, "/api/audit")).Status.ShouldBe(HttpStatusCode.Forbidden);
        (await cluster.Client.SendJsonAsync(HttpMethod.Delete, $"/api/users/{memberId}")).Status.ShouldBe(HttpStatusCode.NoContent);

        var events = await cluster.Client.ItemsAsync("/api/audit");

        events.Select(e => e.GetProperty("action").GetString()).ShouldBe(
            ["user.removed", "password.reset_issued", "user.role_changed", "user.role_changed", "invitation.accepted", "user.invited"]);
        events.Select(e => e.GetProperty("target").GetProperty("email").GetString()).ShouldAllBe(e => e == email);
        events.Where(e => e.GetProperty("action").GetString() != "invitation.accepted")
            .ShouldAllBe(e => e.GetProperty("actor").GetProperty("email").GetString() == adminEmail);
        events.Single(e => e.GetProperty("action").GetString() == "invitation.accepted").GetProperty("actor").GetProperty("email").GetString().ShouldBe(email);
        events[2].GetProperty("details").GetProperty("from").GetString().ShouldBe("admin");
        events[2].GetProperty("details").GetProperty("to").GetString().ShouldBe("member");
        events.Select(e => e.GetProperty("at").GetDateTimeOffset()).ShouldBeInOrder(SortDirection.Descending);
        events[0].GetProperty("at").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        var page = await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/audit?limit=2");
        page.Body.GetProperty("items").GetArrayLength().ShouldBe(2);
        var next = await cluster.Client.SendJsonAsync(HttpMethod.Get, $"/api/audit?limit=2&cursor={page.Body.GetProperty("nextCursor").GetString()}");
        next.Body.GetProperty("items")[0].GetProperty("action").GetString().ShouldBe("user.role_changed");
    }

    private static async Task<HubConnection> ConnectAsync(TestCluster cluster, string apiKey)
    {
        using var client = cluster.Api.CreateClient();
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(client.BaseAddress!, JobsHub.Path), o => o.AccessTokenProvider = () => Task.FromResult<string?>(apiKey))
            .Build();
        await connection.StartAsync();
        await connection.InvokeAsync("SubscribeWorkspace");
        return connection;
    }
}
