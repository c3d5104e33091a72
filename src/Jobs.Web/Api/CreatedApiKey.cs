namespace Jobs.Web.Api;

/// <summary>The answer to <c>POST /api/keys</c>: the only time the plain key (<see cref="ApiKey"/>) is ever shown.</summary>
public sealed record CreatedApiKey(Guid Id, string Name, string? Prefix, DateTimeOffset CreatedAt, string ApiKey);
