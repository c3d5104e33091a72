namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>What a <see cref="StubServer"/> answers: a status, an optional JSON body and headers.</summary>
public sealed record StubResponse(int Status, string? Json = null, IReadOnlyDictionary<string, string>? Headers = null);
