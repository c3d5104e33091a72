using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Api.Security;
using Jobs.Core.Identity;
using Jobs.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Jobs.IntegrationTests;

/// <summary>
/// Failed password checks are counted in budgets per email and client address, per address and per email; the web's
/// forwarded browser address counts only with the shared secret.
/// </summary>
public sealed class SignInThrottleTests(Servers servers)
{
    private const string Secret = "test-forwarding-secret-0123456789";
    private const string Password = "correct horse battery";

    [Fact]
    public async Task FailuresForOneEmailFromOneAddress_AreThrottled_EvenTheRightPassword_With429ProblemAndRetryAfter()
    {
        await using var cluster = await StartAsync();
        var email = await SetPasswordAsync(cluster);
        using var client = cluster.Api.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            (await SignInAsync(client, email, $"guess {i}", "203.0.113.7")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var throttled = await SignInAsync(client, email, Password, "203.0.113.7");

        throttled.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        throttled.Body.GetProperty("code").GetString().ShouldBe("sign_in_throttled");
        var seconds = throttled.Body.GetProperty("retryAfterSeconds").GetInt32();
        seconds.ShouldBeInRange(14 * 60, 15 * 60);
        throttled.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(seconds));
        throttled.Body.GetProperty("detail").GetString().ShouldBe("Too many attempts: try again in 15 minutes.");
        throttled.Body.GetProperty("status").GetInt32().ShouldBe(429);
        // The same email from another address, and another email from this one, are not held back.
        (await SignInAsync(client, email, Password, "203.0.113.8")).Status.ShouldBe(HttpStatusCode.Created);
        (await SignInAsync(client, "someone-else@test.local", "x", "203.0.113.7")).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RightPasswords_AreNotCounted()
    {
        await using var cluster = await StartAsync();
        var email = await SetPasswordAsync(cluster);
        using var client = cluster.Api.CreateClient();

        for (var i = 0; i < 12; i++)
        {
            (await SignInAsync(client, email, Password)).Status.ShouldBe(HttpStatusCode.Created, $"sign-in {i + 1}");
        }

        for (var i = 0; i < 4; i++)
        {
            (await SignInAsync(client, email, "wrong")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await SignInAsync(client, email, Password)).Status.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task SprayingManyEmailsFromOneAddress_IsThrottledPerAddress()
    {
        await using var cluster = await StartAsync(new() { ["Api:SignInThrottle:FailuresPerAddress"] = "6" });
        var email = await SetPasswordAsync(cluster);
        using var client = cluster.Api.CreateClient();

        for (var i = 0; i < 6; i++)
        {
            (await SignInAsync(client, $"user{i}@test.local", "Summer2025!", "198.51.100.1")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await SignInAsync(client, email, Password, "198.51.100.1")).Status.ShouldBe(HttpStatusCode.TooManyRequests);
        (await SignInAsync(client, "user9@test.local", "Summer2025!", "198.51.100.1")).Status.ShouldBe(HttpStatusCode.TooManyRequests);
        (await SignInAsync(client, email, Password, "198.51.100.2")).Status.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task GuessingOneEmailFromManyAddresses_IsThrottledPerEmail_OnUnknownDevices()
    {
        await using var cluster = await StartAsync(new() { ["Api:SignInThrottle:FailuresPerAccount"] = "6" });
        var email = await SetPasswordAsync(cluster);
        using var client = cluster.Api.CreateClient();

        for (var i = 0; i < 6; i++)
        {
            (await SignInAsync(client, email, $"guess {i}", $"192.0.2.{i + 1}")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await SignInAsync(client, email, Password, "192.0.2.200")).Status.ShouldBe(HttpStatusCode.TooManyRequests);
        (await SignInAsync(client, "someone-else@test.local", "x", "192.0.2.200")).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task IPv6Addresses_AreCountedByTheir64()
    {
        await using var cluster = await StartAsync();
        var email = await SetPasswordAsync(cluster);
        using var client = cluster.Api.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            (await SignInAsync(client, email, $"guess {i}", $"2001:db8:1:2::{i + 1:x}")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await SignInAsync(client, email, Password, "2001:db8:1:2:ffff::1")).Status.ShouldBe(HttpStatusCode.TooManyRequests);
        (await SignInAsync(client, email, Password, "2001:db8:1:3::1")).Status.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task TheOwnerWithADeviceToken_SignsIn_WhileAnAttackerElsewhereHasSpentTheEmailsBudget()
    {
        await using var cluster = await StartAsync(new() { ["Api:SignInThrottle:FailuresPerAccount"] = "6" });
        var email = await SetPasswordAsync(cluster);
        using var client = cluster.Api.CreateClient();
        var first = await SignInAsync(client, email, Password, "198.51.100.10");
        first.Status.ShouldBe(HttpStatusCode.Created);
        var deviceToken = first.Body.GetProperty("deviceToken").GetString()!;
        deviceToken.ShouldStartWith("jobsdev_");

        // The attacker, from addresses of their own, spends the email's budget: unknown devices are held back, the
        // owner's address without its token included.
        for (var i = 0; i < 6; i++)
        {
            (await SignInAsync(client, email, $"guess {i}", $"203.0.113.{i + 1}")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await SignInAsync(client, email, Password, "198.51.100.10")).Status.ShouldBe(HttpStatusCode.TooManyRequests);
        (await SignInAsync(client, email, Password, "203.0.113.1", deviceToken: "jobsdev_made-up")).Status.ShouldBe(HttpStatusCode.TooManyRequests);

        var owner = await SignInAsync(client, email, Password, "198.51.100.10", deviceToken: deviceToken);

        owner.Status.ShouldBe(HttpStatusCode.Created, owner.Body.ToString());
        owner.Body.GetProperty("deviceToken").GetString().ShouldBe(deviceToken);
        // The device is known wherever it is, even at an address the attacker used; its token is no API key.
        (await SignInAsync(client, email, Password, "203.0.113.1", deviceToken: deviceToken)).Status.ShouldBe(HttpStatusCode.Created);
        using var withToken = cluster.Api.ClientWithKey(deviceToken);
        (await withToken.SendJsonAsync(HttpMethod.Get, "/api/me")).Status.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ADeviceToken_CountsOnlyForTheEmailItWasIssuedTo()
    {
        await using var cluster = await StartAsync(new() { ["Api:SignInThrottle:FailuresPerAccount"] = "3" });
        var email = await SetPasswordAsync(cluster);
        using var client = cluster.Api.CreateClient();
        var store = cluster.Api.Services.GetRequiredService<IWorkspaceStore>();
        var (otherClient, otherCaller) = await cluster.CreateWorkspaceClientAsync();
        otherClient.Dispose();
        var otherEmail = (await store.UserGetAsync(otherCaller.UserId, CancellationToken.None))!.Email;
        var deviceOfOther = await store.SignInDeviceIssueAsync(otherEmail, null, TimeSpan.FromDays(1), CancellationToken.None);
        (await store.SignInDeviceCheckAsync(deviceOfOther, otherEmail.ToUpperInvariant(), CancellationToken.None)).ShouldBeTrue();

        for (var i = 0; i < 3; i++)
        {
            (await SignInAsync(client, email, $"guess {i}", $"203.0.113.{i + 1}")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await SignInAsync(client, email, Password, "198.51.100.10", deviceToken: deviceOfOther)).Status.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task WrongPasswordsOnAKnownDevice_AreThrottledPerDevice()
    {
        await using var cluster = await StartAsync(new() { ["Api:SignInThrottle:FailuresPerDevice"] = "3" });
        var email = await SetPasswordAsync(cluster);
        using var client = cluster.Api.CreateClient();
        var deviceToken = (await SignInAsync(client, email, Password, "198.51.100.10")).Body.GetProperty("deviceToken").GetString()!;

        for (var i = 0; i < 3; i++)
        {
            (await SignInAsync(client, email, $"guess {i}", $"203.0.113.{i + 1}", deviceToken: deviceToken)).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var throttled = await SignInAsync(client, email, Password, "198.51.100.10", deviceToken: deviceToken);
        throttled.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        throttled.Body.GetProperty("code").GetString().ShouldBe("sign_in_throttled");
        // The device's failures are its own: without it, the address's and the email's budgets are untouched.
        var elsewhere = await SignInAsync(client, email, Password, "198.51.100.10");
        elsewhere.Status.ShouldBe(HttpStatusCode.Created);
        elsewhere.Body.GetProperty("deviceToken").GetString().ShouldNotBe(deviceToken);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-secret-at-all-0123456789")]
    public async Task AForgedClientAddress_WithoutTheSecret_IsIgnored(string? shownSecret)
    {
        await using var cluster = await StartAsync();
        var email = await SetPasswordAsync(cluster);
        using var client = cluster.Api.CreateClient();

        // A new address on every try: without the secret each one is the connection's own address.
        for (var i = 0; i < 5; i++)
        {
            (await SignInAsync(client, email, $"guess {i}", $"203.0.113.{i + 1}", shownSecret)).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await SignInAsync(client, email, Password, "203.0.113.99", shownSecret)).Status.ShouldBe(HttpStatusCode.TooManyRequests);
        (await SignInAsync(client, email, Password)).Status.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task WithoutASecretConfigured_NoForwardedAddressIsTrusted()
    {
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0);
        var email = await SetPasswordAsync(cluster);
        using var client = cluster.Api.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            (await SignInAsync(client, email, $"guess {i}", $"203.0.113.{i + 1}", Secret)).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await SignInAsync(client, email, Password, "203.0.113.99", Secret)).Status.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task AnotherApiInstance_CountsTheSameFailures()
    {
        await using var cluster = await StartAsync();
        var email = await SetPasswordAsync(cluster);
        var second = cluster.StartApi();
        using var first = cluster.Api.CreateClient();
        using var other = second.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            (await SignInAsync(i % 2 == 0 ? first : other, email, $"guess {i}", "203.0.113.7")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await SignInAsync(other, email, Password, "203.0.113.7")).Status.ShouldBe(HttpStatusCode.TooManyRequests);
        (await SignInAsync(first, email, Password, "203.0.113.7")).Status.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task RedisDown_FailuresAreCountedInTheInstancesMemory()
    {
        await using var redis = await servers.StartPrivateRedisAsync();
        await using var cluster = await TestCluster.StartAsync(servers, workers: 0, redisConnectionString: redis.ConnectionString, overrides: Forwarding());
        var email = await SetPasswordAsync(cluster);
        using var client = cluster.Api.CreateClient();
        await redis.StopAsync();

        for (var i = 0; i < 5; i++)
        {
            (await SignInAsync(client, email, $"guess {i}", "203.0.113.7")).Status.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var throttled = await SignInAsync(client, email, Password, "203.0.113.7");
        throttled.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        throttled.Body.GetProperty("code").GetString().ShouldBe("sign_in_throttled");
        throttled.Headers.RetryAfter.ShouldNotBeNull();
        (await SignInAsync(client, email, Password, "203.0.113.8")).Status.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task WrongCurrentPasswords_WhenChangingIt_AreThrottledToo()
    {
        await using var cluster = await StartAsync(new() { ["Api:SignInThrottle:FailuresPerDevice"] = "3" });
        var (here, _, _) = await cluster.AddUserAsync(cluster.Client, "member");
        using var _ = here;
        const string newPassword = "a brand new passphrase";

        for (var i = 0; i < 3; i++)
        {
            (await here.PostAsync("/api/me/password", new { currentPassword = $"guess {i}", newPassword })).Status.ShouldBe(HttpStatusCode.BadRequest);
        }

        var (status, problem) = await here.PostAsync("/api/me/password", new { currentPassword = IdentityClient.Password, newPassword });

        status.ShouldBe(HttpStatusCode.TooManyRequests);
        problem.GetProperty("code").GetString().ShouldBe("sign_in_throttled");
    }

    internal static Dictionary<string, string?> Forwarding(Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Api:TrustedForwarding:Secret"] = Secret };
        foreach (var (key, value) in more ?? [])
        {
            settings[key] = value;
        }

        return settings;
    }

    private Task<TestCluster> StartAsync(Dictionary<string, string?>? settings = null) =>
        TestCluster.StartAsync(servers, workers: 0, overrides: Forwarding(settings));

    /// <summary>Signs in as from <paramref name="address"/> when given, with the secret the web would show (by default the right one).</summary>
    internal static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseHeaders Headers)> SignInAsync(
        HttpClient client, string email, string password, string? address = null, string? secret = Secret, string? deviceToken = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = JsonContent.Create(deviceToken is null ? new { email, password } : (object)new { email, password, deviceToken }),
        };
        if (address is not null)
        {
            request.Headers.Add(ClientAddress.AddressHeader, address);
            if (secret is not null)
            {
                request.Headers.Add(ClientAddress.SecretHeader, secret);
            }
        }

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response.Headers);
    }

    internal static async Task<string> SetPasswordAsync(TestCluster cluster, string password = Password)
    {
        var store = cluster.Api.Services.GetRequiredService<IWorkspaceStore>();
        var user = (await store.UserGetAsync(cluster.Caller.UserId, CancellationToken.None))!;
        await store.UserSetPasswordHashAsync(user.Id, new PasswordHasher<UserAccount>().HashPassword(user, password), CancellationToken.None);
        return user.Email;
    }
}
