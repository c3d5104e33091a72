namespace Jobs.Contracts.Jobs;

/// <summary>
/// A stream token: send it as <c>?access_token=</c> on <c>GET /api/jobs/{id}/events</c> (<c>eventsUrl</c>) or as
/// the SignalR client's access token on <c>hubPath</c>. It opens connections until <c>expiresAt</c>.
/// </summary>
public sealed record StreamTokenResponse(string Token, DateTimeOffset ExpiresAt, Guid? JobId, string? EventsUrl, string HubPath);
