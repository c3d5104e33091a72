namespace Jobs.Worker.Handlers.Journeys;

/// <summary>The payload of a <c>journey.from-transcript</c> job; the catalog's schema has validated it at submit.</summary>
public sealed record JourneyFromTranscriptPayload(string Transcript, string? Prompt = null);

/// <summary>
/// The payload of a <c>journey.from-diagram</c> job: exactly one of <see cref="ImageBase64"/> and
/// <see cref="UploadId"/>, which the handler checks (the schema subset has no <c>oneOf</c>).
/// </summary>
public sealed record JourneyFromDiagramPayload(string? ImageBase64 = null, Guid? UploadId = null, string? Prompt = null);
