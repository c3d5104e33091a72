using System.Net;
using System.Text.Json;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// Users of a workspace: invitations made by an admin and accepted once by the invitee (who is then signed in with the
/// role they were given), roles that never leave a workspace without an admin, and admin endpoints closed to members.
/// </summary>
public sealed class UsersTests(Servers servers)
{
    [Theory]
    [InlineData("member")]
    [InlineData("admin")]
    public async Task InvitedUser_AcceptsOnce_IsSignedIn_CanSignInLater_AndHasTheRole(string role)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var email = $"{Guid.NewGuid():N}@test.local";

        var invitation = await cluster.Client.InviteAsync(email, role);

        var token = invitation.GetProperty("invitationToken").GetString()!;
        var userId = invitation.GetProperty("userId").GetGuid();
        invitation.GetProperty("email").GetString().ShouldBe(email);
        invitation.GetProperty("role").GetString().ShouldBe(role);
        invitation.GetProperty("invitationUrlPath").GetString().ShouldBe($"/accept-invite?token={token}");
        invitation.GetProperty("expiresAt").GetDateTimeOffset().ShouldBe(DateTimeOffset.UtcNow.AddDays(7), TimeSpan.FromMinutes(1));
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM invitations i WHERE strpos(to_jsonb(i)::text, @token) > 0", ("token", token))).ShouldBe(0);
        var pending = (await cluster.Client.ItemsAsync("/api/users")).Single(u => u.GetProperty("id").GetGuid() == userId);
        (pending.GetProperty("invitationPending").GetBoolean(), pending.GetProperty("role").GetString()).ShouldBe((true, role));

        using var anonymous = cluster.Api.CreateClient();
        var (status, session) = await anonymous.PostAsync("/api/invitations/accept", new { token, displayName = "  Ada Lovelace ", password = IdentityClient.Password });

        status.ShouldBe(HttpStatusCode.Created, session.ToString());
        session.GetProperty("expiresAt").GetDateTimeOffset().ShouldBeGreaterThan(DateTimeOffset.UtcNow);
        var me = session.GetProperty("me");
        (me.GetProperty("userId").GetGuid(), me.GetProperty("role").GetString(), me.GetProperty("displayName").GetString()).ShouldBe((userId, role, "Ada Lovelace"));
        me.GetProperty("workspaceId").GetGuid().ShouldBe(cluster.Caller.WorkspaceId);
        using var invited = cluster.Api.ClientWithKey(session.GetProperty("apiKey").GetString()!);
        var (meStatus, meAgain) = await invited.SendJsonAsync(HttpMethod.Get, "/api/me");
        (meStatus, meAgain.GetProperty("role").GetString()).ShouldBe((HttpStatusCode.OK, role));
        (await invited.SendJsonAsync(HttpMethod.Get, "/api/users")).Status.ShouldBe(role == "admin" ? HttpStatusCode.OK : HttpStatusCode.Forbidden);

        var (signInStatus, signIn) = await anonymous.PostAsync("/api/sessions", new { email, password = IdentityClient.Password });
        signInStatus.ShouldBe(HttpStatusCode.Created);
        signIn.GetProperty("me").GetProperty("role").GetString().ShouldBe(role);
        var accepted = (await cluster.Client.ItemsAsync("/api/users")).Single(u => u.GetProperty("id").GetGuid() == userId);
        (accepted.GetProperty("invitationPending").GetBoolean(), accepted.GetProperty("displayName").GetString()).ShouldBe((false, "Ada Lovelace"));

        var (reuse, problem) = await anonymous.PostAsync("/api/invitations/accept", new { token, displayName = "Mallory", password = "another long password" });
        (reuse, problem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.BadRequest, "invitation_invalid"));
        (await anonymous.PostAsync("/api/sessions", new { email, password = IdentityClient.Password })).Status.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task ExpiredOrGarbageTokens_AreRejected_AndChangeNothing()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var invitation = await cluster.Client.InviteAsync($"{Guid.NewGuid():N}@test.local", "member");
        var token = invitation.GetProperty("invitationToken").GetString()!;
        await cluster.ScalarAsync<int>("UPDATE invitations SET expires_at = now() - interval '1 second'");
        using var anonymous = cluster.Api.CreateClient();

        foreach (var bad in new[] { token, "inv_" + new string('0', 64), "garbage", new string('x', 5000) })
        {
            var (status, problem) = await anonymous.PostAsync("/api/invitations/accept", new { token = bad, displayName = "Eve", password = IdentityClient.Password });
            status.ShouldBe(HttpStatusCode.BadRequest, bad[..Math.Min(bad.Length, 20)]);
            problem.GetProperty("code").GetString().ShouldBe("invitation_invalid");
        }

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM users WHERE password_hash IS NOT NULL OR display_name = 'Eve'")).ShouldBe(0);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE used_at IS NOT NULL")).ShouldBe(0);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM api_keys WHERE kind = 'session'")).ShouldBe(0);
    }

    [Fact]
    public async Task Accept_NamesEveryBadField_BeforeLookingAtTheToken()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var token = (await cluster.Client.InviteAsync($"{Guid.NewGuid():N}@test.local", "member")).GetProperty("invitationToken").GetString();
        using var anonymous = cluster.Api.CreateClient();

        var (status, problem) = await anonymous.PostAsync("/api/invitations/accept", new { token, displayName = " ", password = "too short" });

        status.ShouldBe(HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        errors.EnumerateObject().Select(e => e.Name).Order().ShouldBe(["displayName", "password"]);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE used_at IS NOT NULL")).ShouldBe(0);
        var (empty, emptyProblem) = await anonymous.SendRawAsync(HttpMethod.Post, "/api/invitations/accept", "{}");
        empty.ShouldBe(HttpStatusCode.BadRequest);
        emptyProblem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ShouldBe(["displayName", "password", "token"]);
    }

    [Theory]
    [InlineData("aaaaaaaaaa", "too few different characters")]
    [InlineData("          ", "too few different characters")]
    [InlineData("abababababab", "too few different characters")]
    [InlineData("abcdefghijkl", "sequence")]
    [InlineData("9876543210", "sequence")]
    [InlineData("0123456789", "sequence")]
    [InlineData("qwertyuiop", "most common passwords")]
    [InlineData("Password123", "most common passwords")]
    [InlineData("sunshine2024!", "common password with digits or symbols added")]
    [InlineData("{local}-rocks!", "email address")]
    [InlineData("short", "10 to 1000 characters")]
    public async Task Accept_RefusesAWeakPassword_SayingWhy_AndUsesNothing(string password, string reason)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var local = $"ada{Guid.NewGuid():N}"[..12];
        var token = (await cluster.Client.InviteAsync($"{local}@test.local", "member")).GetProperty("invitationToken").GetString();
        using var anonymous = cluster.Api.CreateClient();

        var (status, problem) = await anonymous.PostAsync("/api/invitations/accept",
            new { token, displayName = "Ada", password = password.Replace("{local}", local) });

        status.ShouldBe(HttpStatusCode.BadRequest, problem.ToString());
        problem.GetProperty("code").GetString().ShouldBe("validation_failed");
        problem.GetProperty("errors").GetProperty("password")[0].GetString()!.ShouldContain(reason);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM invitations WHERE used_at IS NOT NULL")).ShouldBe(0);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM users WHERE password_hash IS NOT NULL")).ShouldBe(0);
    }

    [Fact]
    public async Task InvitingAPendingInviteeAgain_GivesANewLink_RetiresTheOldOne_AndAppliesTheNewRole()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var email = $"{Guid.NewGuid():N}@test.local";
        var first = await cluster.Client.InviteAsync(email, "member");
        // The first link expired unused: the admin sends a new one.
        await cluster.ScalarAsync<int>("UPDATE invitations SET expires_at = now() - interval '1 second'");

        var second = await cluster.Client.InviteAsync(email.ToUpperInvariant(), "admin");

        second.GetProperty("userId").GetGuid().ShouldBe(first.GetProperty("userId").GetGuid());
        second.GetProperty("email").GetString().ShouldBe(email);
        second.GetProperty("role").GetString().ShouldBe("admin");
        var secondToken = second.GetProperty("invitationToken").GetString()!;
        secondToken.ShouldNotBe(first.GetProperty("invitationToken").GetString());
        var listed = (await cluster.Client.ItemsAsync("/api/users")).Where(u => u.GetProperty("email").GetString() == email).ToList();
        listed.ShouldHaveSingleItem().GetProperty("role").GetString().ShouldBe("admin");

        // A third invitation retires the second link, although it had not expired.
        var third = await cluster.Client.InviteAsync(email, "member");
        using var anonymous = cluster.Api.CreateClient();
        var (old, oldProblem) = await anonymous.PostAsync("/api/invitations/accept", new { token = secondToken, displayName = "Old Link", password = IdentityClient.Password });
        (old, oldProblem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.BadRequest, "invitation_invalid"));
        var (status, session) = await anonymous.PostAsync("/api/invitations/accept",
            new { token = third.GetProperty("invitationToken").GetString(), displayName = "New Link", password = IdentityClient.Password });
        status.ShouldBe(HttpStatusCode.Created, session.ToString());
        session.GetProperty("me").GetProperty("role").GetString().ShouldBe("member");

        // Once accepted, the address is a member of this workspace: inviting it again says so.
        var (taken, takenProblem) = await cluster.Client.PostAsync("/api/users/invitations", new { email, role = "member" });
        (taken, takenProblem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Conflict, "already_member"));
    }

    [Fact]
    public async Task AnotherWorkspacesPendingInvitee_IsInvitedHereAsAnyone_AndEachLinkJoinsItsOwnWorkspace()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var email = $"{Guid.NewGuid():N}@test.local";
        var theirs = await other.InviteAsync(email, "member");

        var ours = await cluster.Client.InviteAsync(email, "admin");

        (await cluster.ScalarAsync<string>("SELECT role FROM users WHERE email = @email AND workspace_id = @w", ("email", email), ("w", otherCaller.WorkspaceId))).ShouldBe("member");
        using var anonymous = cluster.Api.CreateClient();
        var (status, session) = await anonymous.PostAsync("/api/invitations/accept",
            new { token = theirs.GetProperty("invitationToken").GetString(), displayName = "Theirs", password = IdentityClient.Password });
        status.ShouldBe(HttpStatusCode.Created, session.ToString());
        (session.GetProperty("me").GetProperty("workspaceId").GetGuid(), session.GetProperty("me").GetProperty("role").GetString()).ShouldBe((otherCaller.WorkspaceId, "member"));
        var (ourStatus, ourSession) = await anonymous.PostAsync("/api/invitations/accept",
            new { token = ours.GetProperty("invitationToken").GetString(), displayName = "Ours", password = IdentityClient.Password });
        ourStatus.ShouldBe(HttpStatusCode.Created, ourSession.ToString());
        (ourSession.GetProperty("me").GetProperty("workspaceId").GetGuid(), ourSession.GetProperty("me").GetProperty("role").GetString()).ShouldBe((cluster.Caller.WorkspaceId, "admin"));
    }

    [Fact]
    public async Task Invite_RejectsAMemberOfThisWorkspace_ABadRole_AndABadAddress()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var ourEmail = await cluster.ScalarAsync<string>("SELECT email FROM users WHERE id = @id", ("id", cluster.Caller.UserId));
        var users = await cluster.ScalarAsync<long>("SELECT count(*) FROM users");

        var (taken, takenProblem) = await cluster.Client.PostAsync("/api/users/invitations", new { email = ourEmail!.ToUpperInvariant(), role = "member" });
        (taken, takenProblem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Conflict, "already_member"));

        var (badRole, badRoleProblem) = await cluster.Client.PostAsync("/api/users/invitations", new { email = "new@test.local", role = "owner" });
        badRole.ShouldBe(HttpStatusCode.BadRequest);
        badRoleProblem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["role"]);

        var (badEmail, badEmailProblem) = await cluster.Client.PostAsync("/api/users/invitations", new { email = "not an address", role = "admin" });
        badEmail.ShouldBe(HttpStatusCode.BadRequest);
        badEmailProblem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["email"]);

        (await cluster.ScalarAsync<long>("SELECT count(*) FROM users")).ShouldBe(users);
    }

    [Fact]
    public async Task LastAdmin_CannotBeDemoted_AndADemotedAdminLosesAdminEndpointsAtOnce()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var self = $"/api/users/{cluster.Caller.UserId}";

        var (status, problem) = await cluster.Client.SendJsonAsync(HttpMethod.Patch, self, new { role = "member" });
        (status, problem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Conflict, "last_admin"));
        // An invitee who has not accepted yet does not count as the admin who stays.
        await cluster.Client.InviteAsync($"{Guid.NewGuid():N}@test.local", "admin");
        (await cluster.Client.SendJsonAsync(HttpMethod.Patch, self, new { role = "member" })).Status.ShouldBe(HttpStatusCode.Conflict);

        var (member, memberId, _) = await cluster.AddUserAsync(cluster.Client, "member");
        using var __ = member;
        (await member.SendJsonAsync(HttpMethod.Get, "/api/keys")).Status.ShouldBe(HttpStatusCode.Forbidden);
        var (promoted, user) = await cluster.Client.SendJsonAsync(HttpMethod.Patch, $"/api/users/{memberId}", new { role = "admin" });
        (promoted, user.GetProperty("role").GetString(), user.GetProperty("id").GetGuid()).ShouldBe((HttpStatusCode.OK, "admin", memberId));
        (await member.SendJsonAsync(HttpMethod.Get, "/api/keys")).Status.ShouldBe(HttpStatusCode.OK);

        (await cluster.Client.SendJsonAsync(HttpMethod.Patch, self, new { role = "member" })).Status.ShouldBe(HttpStatusCode.OK);

        (await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/keys")).Status.ShouldBe(HttpStatusCode.Forbidden);
        var (meStatus, me) = await cluster.Client.SendJsonAsync(HttpMethod.Get, "/api/workspace");
        (meStatus, me.GetProperty("role").GetString()).ShouldBe((HttpStatusCode.OK, "member"));
        var (last, lastProblem) = await member.SendJsonAsync(HttpMethod.Patch, $"/api/users/{memberId}", new { role = "member" });
        (last, lastProblem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Conflict, "last_admin"));
    }

    [Fact]
    public async Task TwoAdminsDemotingThemselvesAtOnce_LeaveOneAdmin()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        for (var round = 0; round < 5; round++)
        {
            var (other, otherId, _) = await cluster.AddUserAsync(cluster.Client, "admin");
            using var _ = other;
            var first = cluster.Client.SendJsonAsync(HttpMethod.Patch, $"/api/users/{cluster.Caller.UserId}", new { role = "member" });
            var second = other.SendJsonAsync(HttpMethod.Patch, $"/api/users/{otherId}", new { role = "member" });

            var statuses = (await Task.WhenAll(first, second)).Select(r => r.Status).ToList();

            statuses.Order().ToList().ShouldBe(new List<HttpStatusCode> { HttpStatusCode.OK, HttpStatusCode.Conflict }, $"round {round}");
            (await cluster.ScalarAsync<long>("SELECT count(*) FROM users WHERE role = 'admin' AND workspace_id = @w", ("w", cluster.Caller.WorkspaceId))).ShouldBe(1);
            // Put the seeded user back as the one admin for the next round.
            await cluster.ScalarAsync<int>("UPDATE users SET role = CASE WHEN id = @id THEN 'admin' ELSE 'member' END WHERE workspace_id = @w",
                ("id", cluster.Caller.UserId), ("w", cluster.Caller.WorkspaceId));
        }
    }

    [Fact]
    public async Task AnotherWorkspacesUserId_AnswersLikeAnUnknownOne_AndKeepsItsRole()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var (_, theirMember, _) = await cluster.AddUserAsync(other, "member");

        foreach (var id in new[] { otherCaller.UserId.ToString(), theirMember.ToString(), Guid.CreateVersion7().ToString(), "nope" })
        {
            var (status, problem) = await cluster.Client.SendJsonAsync(HttpMethod.Patch, $"/api/users/{id}", new { role = id == theirMember.ToString() ? "admin" : "member" });
            (status, problem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.NotFound, "user_not_found"), id);
        }

        (await cluster.ScalarAsync<string>("SELECT role FROM users WHERE id = @id", ("id", otherCaller.UserId))).ShouldBe("admin");
        (await cluster.ScalarAsync<string>("SELECT role FROM users WHERE id = @id", ("id", theirMember))).ShouldBe("member");
        (await cluster.Client.ItemsAsync("/api/users")).Select(u => u.GetProperty("id").GetGuid()).ShouldBe([cluster.Caller.UserId]);
    }

    [Fact]
    public async Task Member_Gets403_OnEveryAdminEndpoint_AndChangesNothing()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (member, memberId, _) = await cluster.AddUserAsync(cluster.Client, "member");
        using var _ = member;
        var (keyId, _) = await cluster.Client.CreateKeyAsync();
        var limits = new { maxConcurrentJobs = 1, maxBatchItems = 1, bulkJobsPerHour = 1, requestsPerMinute = 1, subscribeBatchSize = 1, subscribeBatchPauseMs = 0 };
        (HttpMethod Method, string Path, object? Body)[] adminOnly =
        [
            (HttpMethod.Get, "/api/keys", null),
            (HttpMethod.Post, "/api/keys", new { name = "sneaky" }),
            (HttpMethod.Delete, $"/api/keys/{keyId}", null),
            (HttpMethod.Get, "/api/users", null),
            (HttpMethod.Post, "/api/users/invitations", new { email = "friend@test.local", role = "admin" }),
            (HttpMethod.Patch, $"/api/users/{memberId}", new { role = "admin" }),
            (HttpMethod.Delete, $"/api/users/{cluster.Caller.UserId}", null),
            (HttpMethod.Get, $"/api/users/{cluster.Caller.UserId}/sessions", null),
            (HttpMethod.Delete, $"/api/users/{cluster.Caller.UserId}/sessions", null),
            (HttpMethod.Delete, $"/api/users/{cluster.Caller.UserId}/sessions/{Guid.CreateVersion7()}", null),
            (HttpMethod.Post, $"/api/users/{cluster.Caller.UserId}/password-reset", null),
            (HttpMethod.Get, "/api/audit", null),
            (HttpMethod.Put, "/api/workspace/limits", limits),
            (HttpMethod.Get, "/api/webhooks", null),
            (HttpMethod.Post, "/api/webhooks", new { url = "https://hooks.example/in", events = new[] { "job.completed" } }),
        ];
        var before = await SnapshotAsync(cluster);

        foreach (var (method, path, body) in adminOnly)
        {
            var (status, problem) = await member.SendJsonAsync(method, path, body);
            status.ShouldBe(HttpStatusCode.Forbidden, $"{method} {path}");
            problem.GetProperty("code").GetString().ShouldBe("forbidden");
        }

        (await SnapshotAsync(cluster)).ShouldBe(before);
        var (workspaceStatus, workspace) = await member.SendJsonAsync(HttpMethod.Get, "/api/workspace");
        (workspaceStatus, workspace.GetProperty("role").GetString()).ShouldBe((HttpStatusCode.OK, "member"));
    }

    private static Task<string?> SnapshotAsync(TestCluster cluster) => cluster.ScalarAsync<string>("""
        SELECT concat_ws('|',
            (SELECT string_agg(id::text || coalesce(revoked_at::text, '') || name, ',' ORDER BY id) FROM api_keys),
            (SELECT string_agg(id::text || role || email, ',' ORDER BY id) FROM users),
            (SELECT count(*) FROM invitations),
            (SELECT string_agg(to_jsonb(w)::text, ',' ORDER BY id) FROM workspaces w))
        """);
}
