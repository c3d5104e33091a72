using System.Net;
using System.Text.Json;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>
/// One person in several workspaces: an address is invited into each workspace as if it were new (nothing tells an
/// admin that it has an account elsewhere, and nothing one workspace does blocks it in another); a person who accepts
/// with the password they already use signs in once and switches between their workspaces, each session in one.
/// </summary>
public sealed class WorkspaceSwitchingTests(Servers servers)
{
    [Fact]
    public async Task InvitingAnAddressWithAnAccountElsewhere_AnswersAsForANewAddress()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, _) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var (_, _, theirs) = await cluster.AddUserAsync(other, "member");
        var pendingElsewhere = $"{Guid.NewGuid():N}@test.local";
        await other.InviteAsync(pendingElsewhere, "admin");
        var fresh = $"{Guid.NewGuid():N}@test.local";

        var answers = new List<JsonElement>();
        foreach (var email in new[] { theirs, pendingElsewhere, fresh })
        {
            var (status, body) = await cluster.Client.PostAsync("/api/users/invitations", new { email, role = "member" });
            status.ShouldBe(HttpStatusCode.Created, body.ToString());
            answers.Add(body);
        }

        // The same members, in the same form, whatever the address has elsewhere.
        answers.Select(a => string.Join(",", a.EnumerateObject().Select(p => p.Name))).Distinct().ShouldHaveSingleItem();
        answers.Select(a => a.GetProperty("role").GetString()).ShouldAllBe(r => r == "member");
        (await cluster.Client.ItemsAsync("/api/users")).Count(u => u.GetProperty("invitationPending").GetBoolean()).ShouldBe(3);
    }

    [Fact]
    public async Task APersonInvitedIntoTwoWorkspaces_WithOnePassword_SignsInOnce_AndSwitchesBetweenThem()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var email = $"{Guid.NewGuid():N}@test.local";
        using var anonymous = cluster.Api.CreateClient();
        var first = await AcceptAsync(anonymous, await cluster.Client.InviteAsync(email, "admin"), IdentityClient.Password);
        // Invited into the second workspace after joining the first: the same address, the same password.
        var second = await AcceptAsync(anonymous, await other.InviteAsync(email.ToUpperInvariant(), "member"), IdentityClient.Password);

        second.GetProperty("me").GetProperty("workspaceId").GetGuid().ShouldBe(otherCaller.WorkspaceId);
        Workspaces(second.GetProperty("me")).ShouldBe(
            [(cluster.Caller.WorkspaceId, "admin"), (otherCaller.WorkspaceId, "member")], ignoreOrder: true);

        // Signing in lands in the workspace used last, and tells the others.
        var (signedIn, session) = await anonymous.PostAsync("/api/sessions", new { email, password = IdentityClient.Password });
        signedIn.ShouldBe(HttpStatusCode.Created, session.ToString());
        session.GetProperty("me").GetProperty("workspaceId").GetGuid().ShouldBe(otherCaller.WorkspaceId);
        Workspaces(session.GetProperty("me")).Count.ShouldBe(2);
        using var inOther = cluster.Api.ClientWithKey(session.GetProperty("apiKey").GetString()!);
        (await inOther.SendJsonAsync(HttpMethod.Get, "/api/users")).Status.ShouldBe(HttpStatusCode.Forbidden);

        var (switched, inFirst) = await inOther.PostAsync("/api/sessions/switch", new { workspaceId = cluster.Caller.WorkspaceId });

        switched.ShouldBe(HttpStatusCode.Created, inFirst.ToString());
        var me = inFirst.GetProperty("me");
        (me.GetProperty("workspaceId").GetGuid(), me.GetProperty("role").GetString(), me.GetProperty("email").GetString())
            .ShouldBe((cluster.Caller.WorkspaceId, "admin", email));
        // The session switched from ends; the new one belongs to the first workspace only.
        (await inOther.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        using var switchedClient = cluster.Api.ClientWithKey(inFirst.GetProperty("apiKey").GetString()!);
        (await switchedClient.SendJsonAsync(HttpMethod.Get, "/api/users")).Status.ShouldBe(HttpStatusCode.OK);
        (await switchedClient.ItemsAsync("/api/jobs")).ShouldBeEmpty();
        var otherJob = await other.SubmitDemoAsync(items: 1);
        (await switchedClient.SendJsonAsync(HttpMethod.Get, $"/api/jobs/{otherJob}")).Status.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.PostAsync("/api/sessions", new { email, password = IdentityClient.Password }))
            .Body.GetProperty("me").GetProperty("workspaceId").GetGuid().ShouldBe(cluster.Caller.WorkspaceId);
    }

    [Fact]
    public async Task AccountsWithDifferentPasswords_AreNotLinked_AndASessionCannotSwitchIntoAWorkspaceItHasNoAccountIn()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var (other, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        using var _ = other;
        var (third, thirdCaller) = await cluster.CreateWorkspaceClientAsync();
        using var __ = third;
        var email = $"{Guid.NewGuid():N}@test.local";
        using var anonymous = cluster.Api.CreateClient();
        await AcceptAsync(anonymous, await cluster.Client.InviteAsync(email, "member"), IdentityClient.Password);
        // Someone else (another workspace's admin, say) accepted an invitation of the same address with their own password.
        var squatted = await AcceptAsync(anonymous, await other.InviteAsync(email, "admin"), "a different passphrase entirely");
        Workspaces(squatted.GetProperty("me")).ShouldBe([(otherCaller.WorkspaceId, "admin")]);

        var (status, session) = await anonymous.PostAsync("/api/sessions", new { email, password = IdentityClient.Password });

        status.ShouldBe(HttpStatusCode.Created);
        Workspaces(session.GetProperty("me")).ShouldBe([(cluster.Caller.WorkspaceId, "member")]);
        using var signedIn = cluster.Api.ClientWithKey(session.GetProperty("apiKey").GetString()!);
        foreach (var workspaceId in new[] { otherCaller.WorkspaceId, thirdCaller.WorkspaceId, Guid.CreateVersion7() })
        {
            var (refused, problem) = await signedIn.PostAsync("/api/sessions/switch", new { workspaceId });
            (refused, problem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.NotFound, "workspace_not_found"));
        }

        (await signedIn.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.OK);
        // A named API key belongs to a program, not to a signed-in person: it does not switch.
        var (byKey, keyProblem) = await cluster.Client.PostAsync("/api/sessions/switch", new { workspaceId = cluster.Caller.WorkspaceId });
        (byKey, keyProblem.GetProperty("code").GetString()).ShouldBe((HttpStatusCode.Forbidden, "session_required"));
    }

    private static async Task<JsonElement> AcceptAsync(HttpClient anonymous, JsonElement invitation, string password)
    {
        var (status, session) = await anonymous.PostAsync("/api/invitations/accept",
            new { token = invitation.GetProperty("invitationToken").GetString(), displayName = "Grace", password });
        status.ShouldBe(HttpStatusCode.Created, session.ToString());
        return session;
    }

    private static List<(Guid, string)> Workspaces(JsonElement me) =>
        [.. me.GetProperty("workspaces").EnumerateArray().Select(w => (w.GetProperty("workspaceId").GetGuid(), w.GetProperty("role").GetString()!))];
}
