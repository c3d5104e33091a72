using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Jobs.Client;
using Jobs.Contracts.Sessions;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace Jobs.Web.Api;

/// <summary>
/// Sign-in and sign-out against the API. Used from the static sign-in page and the sign-out endpoint, where the key
/// is at hand (or not yet there), so it takes the key as an argument instead of reading the user.
/// </summary>
/// <remarks>
/// The anonymous calls (sign-in, accepting an invitation or a reset link) carry the browser's address for the API's
/// limits, which count per client address: every one of them comes from this server, and without it one abuser would
/// hold back everyone's sign-ins. The API believes the address only with the shared secret
/// (<see cref="WebOptions.ForwardingSecret"/>); without one configured, nothing is sent.
/// </remarks>
public sealed class SessionsApiClient(HttpClient http, IOptions<WebOptions> options, ILogger<SessionsApiClient> logger)
{
    public const string ClientAddressHeader = "X-Jobs-Client-Address";
    public const string ForwardingSecretHeader = "X-Jobs-Forwarding-Secret";
    private const string ThrottledCode = "sign_in_throttled";

    /// <param name="deviceToken">The browser's device token from an earlier sign-in (<see cref="Auth.DeviceCookie"/>), if any.</param>
    /// <param name="clientAddress">The browser's address, as this server sees it.</param>
    /// <returns>The session; neither it nor a wait when the email or the password is wrong; the wait when throttled.</returns>
    public async Task<SignInResult> SignInAsync(string email, string password, string? deviceToken, IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions")
        {
            Content = JsonContent.Create(deviceToken is null ? new { email, password } : (object)new { email, password, deviceToken }, options: JsonSerializerOptions.Web),
        };
        Forward(request, clientAddress);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest)
        {
            return SignInResult.Wrong;
        }

        if (!response.IsSuccessStatusCode)
        {
            var problem = await JobsApiException.FromResponseAsync(response, cancellationToken);
            if (problem is JobsRateLimitedException { Code: ThrottledCode } throttled)
            {
                var seconds = throttled.RetryAfter is { } delta ? (int)Math.Ceiling(delta.TotalSeconds) : 60;
                return new SignInResult(null, Math.Max(1, seconds));
            }

            throw problem;
        }

        return new SignInResult(await response.Content.ReadFromJsonAsync<SessionResponse>(JsonSerializerOptions.Web, cancellationToken), null);
    }

    /// <summary>Accepts an invitation: the invited user chooses a name and a password and gets a session at once.</summary>
    /// <exception cref="JobsApiException">400 <c>invitation_invalid</c> (unknown, expired or used token) or with the failing fields.</exception>
    public async Task<SessionResponse> AcceptInvitationAsync(string token, string displayName, string password, IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/invitations/accept")
        {
            Content = JsonContent.Create(new { token, displayName, password }, options: JsonSerializerOptions.Web),
        };
        Forward(request, clientAddress);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await JobsApiException.FromResponseAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<SessionResponse>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new JobsApiException(response.StatusCode, "empty_body", "The API answered with an empty body", null, null);
    }

    /// <summary>Uses a password reset link: sets the new password and gets a session at once.</summary>
    /// <exception cref="JobsApiException">400 <c>reset_invalid</c> (unknown, expired or used token) or with the failing fields.</exception>
    public async Task<SessionResponse> AcceptPasswordResetAsync(string token, string password, IPAddress? clientAddress, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/password-resets/accept")
        {
            Content = JsonContent.Create(new { token, password }, options: JsonSerializerOptions.Web),
        };
        Forward(request, clientAddress);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await JobsApiException.FromResponseAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<SessionResponse>(JsonSerializerOptions.Web, cancellationToken)
            ?? throw new JobsApiException(response.StatusCode, "empty_body", "The API answered with an empty body", null, null);
    }

    /// <returns>Who the session key belongs to now, or null when the API no longer accepts it (revoked or expired).</returns>
    /// <exception cref="JobsApiException">Any other answer than 200 or 401.</exception>
    public async Task<MeResponse?> MeAsync(string apiKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.Add(JobsClient.ApiKeyHeader, apiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await JobsApiException.FromResponseAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<MeResponse>(JsonSerializerOptions.Web, cancellationToken);
    }

    /// <summary>Ends the session <paramref name="apiKey"/> and starts one in another of the person's workspaces.</summary>
    /// <returns>The new session, or null when the API refuses (no such workspace of theirs, or the session had ended).</returns>
    public async Task<SessionResponse?> SwitchAsync(string apiKey, Guid workspaceId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/sessions/switch")
        {
            Content = JsonContent.Create(new { workspaceId }, options: JsonSerializerOptions.Web),
        };
        request.Headers.Add(JobsClient.ApiKeyHeader, apiKey);
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw await JobsApiException.FromResponseAsync(response, cancellationToken);
        }

        return await response.Content.ReadFromJsonAsync<SessionResponse>(JsonSerializerOptions.Web, cancellationToken);
    }

    /// <summary>Revokes the key. Best effort: the user is signed out of the web either way, and the key expires.</summary>
    public async Task SignOutAsync(string apiKey, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/sessions/current");
            request.Headers.Add(JobsClient.ApiKeyHeader, apiKey);
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

    /// <summary>The browser's address and the secret that makes the API believe it; nothing without a secret.</summary>
    private void Forward(HttpRequestMessage request, IPAddress? clientAddress)
    {
        if (string.IsNullOrEmpty(options.Value.ForwardingSecret) || clientAddress is null)
        {
            return;
        }

        request.Headers.Add(ClientAddressHeader, (clientAddress.IsIPv4MappedToIPv6 ? clientAddress.MapToIPv4() : clientAddress).ToString());
        request.Headers.Add(ForwardingSecretHeader, options.Value.ForwardingSecret);
    }
}
