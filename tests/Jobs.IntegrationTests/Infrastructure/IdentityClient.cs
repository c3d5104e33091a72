using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Api;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>Keys, users and invitations as the admin endpoints make them, for the identity tests.</summary>
public static class IdentityClient
{
    public const string Password = "long enough password";

    public static async Task<(HttpStatusCode Status, JsonElement Body)> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var message = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await client.SendAsync(message);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static HttpClient ClientWithKey(this ServiceFactory<ApiEntryPoint> api, string apiKey)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return client;
    }

    public static async Task<(Guid Id, string ApiKey)> CreateKeyAsync(this HttpClient admin, string name = "test key")
    {
        var (status, body) = await admin.PostAsync("/api/keys", new { name });
        status.ShouldBe(HttpStatusCode.Created, body.ToString());
        return (body.GetProperty("id").GetGuid(), body.GetProperty("apiKey").GetString()!);
    }

    public static async Task<JsonElement> InviteAsync(this HttpClient admin, string email, string role)
    {
        var (status, body) = await admin.PostAsync("/api/users/invitations", new { email, role });
        status.ShouldBe(HttpStatusCode.Created, body.ToString());
        return body;
    }

    /// <summary>Invites a user with <paramref name="role"/> and accepts for them; a client signed in as that user.</summary>
    public static async Task<(HttpClient Client, Guid UserId, string Email)> AddUserAsync(this TestCluster cluster, HttpClient admin, string role)
    {
        var email = $"{Guid.NewGuid():N}@test.local";
        var invitation = await admin.InviteAsync(email, role);
        using var anonymous = cluster.Api.CreateClient();
        var (status, session) = await anonymous.PostAsync("/api/invitations/accept",
            new { token = invitation.GetProperty("invitationToken").GetString(), displayName = "Invited", password = Password });
        status.ShouldBe(HttpStatusCode.Created, session.ToString());
        return (cluster.Api.ClientWithKey(session.GetProperty("apiKey").GetString()!), invitation.GetProperty("userId").GetGuid(), email);
    }

    public static async Task<JsonElement[]> ItemsAsync(this HttpClient client, string path) =>
        (await client.GetFromJsonAsync<JsonElement>(path)).GetProperty("items").EnumerateArray().ToArray();
}
