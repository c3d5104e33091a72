namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>One request as the stub received it; header names are matched case-insensitively.</summary>
public sealed record RecordedRequest(
    int Index,
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    DateTimeOffset ReceivedAt);
