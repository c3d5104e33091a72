using System.Net;
using Jobs.Core.Workspaces;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

public sealed class SessionsTests(Servers servers)
{
    [Fact]
    public async Task SignIn_IssuesAWorkingKey_AndSignOutRevokesItAtOnce()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var email = await SetPasswordAsync(cluster, "correct horse");
        using var anonymous = cluster.Api.CreateClient();

        var (status, session) = await anonymous.PostAsync("/api/sessions", new { email = email.ToUpperInvariant(), password = "correct horse" });

        status.ShouldBe(HttpStatusCode.Created);
        using var signedIn = cluster.Api.CreateClient();
        signedIn.DefaultRequestHeaders.Add("X-Api-Key", session.GetProperty("apiKey").GetString());
        var me = System.Text.Json.JsonDocument.Parse(await signedIn.GetStringAsync("/api/me")).RootElement;
        me.GetProperty("workspaceId").GetGuid().ShouldBe(cluster.Caller.WorkspaceId);
        me.GetProperty("email").GetString().ShouldBe(email);

        using (var signOut = await signedIn.DeleteAsync("/api/sessions/current"))
        {
            signOut.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await signedIn.SendRawAsync(HttpMethod.Get, "/api/me", null)).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("wrong password", true)]
    [InlineData("correct horse", false)]
    public async Task SignIn_WithAWrongPasswordOrUnknownEmail_IsUnauthorized(string password, bool knownEmail)
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var email = await SetPasswordAsync(cluster, "correct horse");
        using var anonymous = cluster.Api.CreateClient();

        var (status, problem) = await anonymous.PostAsync("/api/sessions", new { email = knownEmail ? email : "nobody@test.local", password });

        status.ShouldBe(HttpStatusCode.Unauthorized);
        problem.GetProperty("code").GetString().ShouldBe("invalid_credentials");
    }

    [Fact]
    public async Task SignIn_WithoutCredentials_NamesTheMissingFields()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        using var anonymous = cluster.Api.CreateClient();

        var (status, problem) = await anonymous.SendRawAsync(HttpMethod.Post, "/api/sessions", "{}");

        status.ShouldBe(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").TryGetProperty("email", out _).ShouldBeTrue();
        problem.GetProperty("errors").TryGetProperty("password", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task RepeatedFailedSignIns_ForOneAccount_AreThrottled_WithoutLockingOutOthers()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var email = await SetPasswordAsync(cluster, "correct horse");
        using var anonymous = cluster.Api.CreateClient();

        for (var i = 0; i < 10; i++)
        {
            (await anonymous.PostAsync("/api/sessions", new { email, password = $"guess {i}" })).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var response = await anonymous.PostAsync("/api/sessions", System.Net.Http.Json.JsonContent.Create(new { email, password = "correct horse" }));
        response.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter.ShouldNotBeNull();
        (await anonymous.PostAsync("/api/sessions", new { email = "someone-else@test.local", password = "x" })).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static async Task<string> SetPasswordAsync(TestCluster cluster, string password)
    {
        var store = cluster.Api.Services.GetRequiredService<IWorkspaceStore>();
        var user = (await store.UserGetAsync(cluster.Caller.UserId, CancellationToken.None))!;
        await store.UserSetPasswordHashAsync(user.Id, new PasswordHasher<UserAccount>().HashPassword(user, password), CancellationToken.None);
        return user.Email;
    }
}
