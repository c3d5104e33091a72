using System.Net;
using Jobs.IntegrationTests.Infrastructure;

namespace Jobs.IntegrationTests;

/// <summary>A deployed instance (no Development seed) gets its first admin from configuration, once.</summary>
public sealed class FirstAdminTests(Servers servers)
{
    [Fact]
    public async Task ConfiguredFirstAdmin_CanSignIn_AsAdmin_AndASecondStartChangesNothing()
    {
        var email = $"owner-{Guid.NewGuid():N}@example.com";
        var settings = new Dictionary<string, string?>
        {
            ["Jobs:Bootstrap:AdminEmail"] = email,
            ["Jobs:Bootstrap:AdminPassword"] = "first-admin-password",
            ["Jobs:Bootstrap:WorkspaceName"] = "acme-prod",
        };
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, overrides: settings);
        using var anonymous = cluster.Api.CreateClient();

        var (status, session) = await anonymous.PostAsync("/api/sessions", new { email, password = "first-admin-password" });

        status.ShouldBe(HttpStatusCode.Created);
        var me = session.GetProperty("me");
        me.GetProperty("role").GetString().ShouldBe("admin");
        me.GetProperty("workspaceName").GetString().ShouldBe("acme-prod");

        // A second instance with the same configuration (or a restart) finds the user and makes nothing more.
        var again = cluster.StartApi();
        using var client = again.CreateClient();
        (await client.GetAsync("/health")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM workspaces WHERE name = 'acme-prod'")).ShouldBe(1L);
        (await cluster.ScalarAsync<long>("SELECT count(*) FROM users WHERE email = @email", ("email", email))).ShouldBe(1L);
    }
}
