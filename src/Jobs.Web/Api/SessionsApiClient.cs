using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.Timeout;

namespace Jobs.Web.Api;

/// <summary>
/// Sign-in and sign-out against the API. Used from the static sign-in page and the sign-out endpoint, where the key
/// is at hand (or not yet there), so it takes the key as an argument instead of reading the user.
/// </summary>
public sealed class SessionsApiClient(HttpClient http, ILogger<SessionsApiClient> logger)
{
    /// <returns>The session, or null when the email or the password is wrong.</returns>
    public async Task<SessionView?> SignInAsync(string email, string password, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/sessions", new { email, password }, JsonSerializerOptions.Web, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new ApiProblemException(await ApiProblem.ReadAsync(response, cancellationToken));
        }

        return await response.Content.ReadFromJsonAsync<SessionView>(JsonSerializerOptions.Web, cancellationToken);
    }

    /// <summary>Accepts an invitation: the invited user chooses a name and a password and gets a session at once.</summary>
    /// <exception cref="ApiProblemException">400 <c>invitation_invalid</c> (unknown, expired or used token) or with the failing fields.</exception>
    public async Task<SessionView> AcceptInvitationAsync(string token, string displayName, string password, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/invitations/accept", new { token, displayName, password }, JsonSerializerOptions.Web, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ApiProblemException(await ApiProblem.ReadAsync(response, cancellationToken));
        }

        return await response.Content.ReadFromJsonAsync<SessionView>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new ApiProblemException(new ApiProblem((int)response.StatusCode, "empty_body", "The API answered with an empty body", null, new Dictionary<string, string[]>()));
    }

    /// <summary>Uses a password reset link: sets the new password and gets a session at once.</summary>
    /// <exception cref="ApiProblemException">400 <c>reset_invalid</c> (unknown, expired or used token) or with the failing fields.</exception>
    public async Task<SessionView> AcceptPasswordResetAsync(string token, string password, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/password-resets/accept", new { token, password }, JsonSerializerOptions.Web, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ApiProblemException(await ApiProblem.ReadAsync(response, cancellationToken));
        }

        return await response.Content.ReadFromJsonAsync<SessionView>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new ApiProblemException(new ApiProblem((int)response.StatusCode, "empty_body", "The API answered with an empty body", null, new Dictionary<string, string[]>()));
    }

    /// <returns>Who the session key belongs to now, or null when the API no longer accepts it (revoked or expired).</returns>
    /// <exception cref="ApiProblemException">Any other answer than 200 or 401.</exception>
    public async Task<MeView?> MeAsync(string apiKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add(JobsApiClient.ApiKeyHeader, apiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new ApiProblemException(await ApiProblem.ReadAsync(response, cancellationToken));
        }

        return await response.Content.ReadFromJsonAsync<MeView>(JsonSerializerOptions.Web, cancellationToken);
    }

    /// <summary>Ends the session <paramref name="apiKey"/> and starts one in another of the person's workspaces.</summary>
    /// <returns>The new session, or null when the API refuses (no such workspace of theirs, or the session had ended).</returns>
    public async Task<SessionView?> SwitchAsync(string apiKey, Guid workspaceId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions/switch")
        {
            Content = JsonContent.Create(new { workspaceId }, options: JsonSerializerOptions.Web),
        };
        request.Headers.Add(JobsApiClient.ApiKeyHeader, apiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new ApiProblemException(await ApiProblem.ReadAsync(response, cancellationToken));
        }

        return await response.Content.ReadFromJsonAsync<SessionView>(JsonSerializerOptions.Web, cancellationToken);
    }

    /// <summary>Revokes the key. Best effort: the user is signed out of the web either way, and the key expires.</summary>
    public async Task SignOutAsync(string apiKey, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/sessions/current");
            request.Headers.Add(JobsApiClient.ApiKeyHeader, apiKey);
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Unauthorized)
            {
                logger.LogWarning("Revoking the session key answered {Status}; it stays valid until it expires", (int)response.StatusCode);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException)
        {
            logger.LogWarning(ex, "Could not revoke the session key; it stays valid until it expires");
        }
    }
}
