using System.Net;
using System.Net.Http.Json;
using Jobs.Core.Identity;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

/// <summary>
/// What every API response says to browsers and caches: no content sniffing, no referrer, and never store an answer that
/// carries a secret (a new key, a session, an invitation link).
/// </summary>
public sealed class ResponseHeadersTests(Servers servers)
{
    [Fact]
    public async Task AnswersThatCarryASecret_AreNeverStored()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var email = await SetPasswordAsync(cluster, IdentityClient.Password);
        using var anonymous = cluster.Api.CreateClient();

        using var key = await cluster.Client.PostAsync("/api/keys", JsonContent.Create(new { name = "ci" }));
        using var session = await anonymous.PostAsync("/api/sessions", JsonContent.Create(new { email, password = IdentityClient.Password }));
        using var invitation = await cluster.Client.PostAsync("/api/users/invitations", JsonContent.Create(new { email = $"{Guid.NewGuid():N}@test.local", role = "member" }));
        var token = (await invitation.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("invitationToken").GetString();
        using var accepted = await anonymous.PostAsync("/api/invitations/accept", JsonContent.Create(new { token, displayName = "New", password = IdentityClient.Password }));

        foreach (var (response, expected) in new[] { (key, HttpStatusCode.Created), (session, HttpStatusCode.Created), (invitation, HttpStatusCode.Created), (accepted, HttpStatusCode.Created) })
        {
            var what = $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri!.AbsolutePath}";
            response.StatusCode.ShouldBe(expected, what);
            response.Headers.CacheControl.ShouldNotBeNull(what).NoStore.ShouldBeTrue(what);
        }
    }

    [Fact]
    public async Task EveryAnswer_ForbidsContentSniffingAndReferrers_ProblemsIncluded()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        using var anonymous = cluster.Api.CreateClient();

        using var me = await cluster.Client.GetAsync("/api/me");
        using var notFound = await cluster.Client.GetAsync($"/api/jobs/{Guid.CreateVersion7()}");
        using var unauthenticated = await anonymous.GetAsync("/api/me");

        foreach (var response in new[] { me, notFound, unauthenticated })
        {
            var what = $"{(int)response.StatusCode} {response.RequestMessage!.RequestUri!.AbsolutePath}";
            response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"], what);
            response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"], what);
        }
    }

    private static async Task<string> SetPasswordAsync(TestCluster cluster, string password)
    {
        var store = cluster.Api.Services.GetRequiredService<IWorkspaceStore>();
        var user = (await store.UserGetAsync(cluster.Caller.UserId, CancellationToken.None))!;
        await store.UserSetPasswordHashAsync(user.Id, new PasswordHasher<UserAccount>().HashPassword(user, password), CancellationToken.None);
        return user.Email;
    }
}
