using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Jobs.Core.Engine.Catalog.Declarations;

namespace Jobs.Worker.Handlers.Journeys;

/// <summary>The payload of a <c>journey.from-transcript</c> job; the catalog's schema, generated from it, has validated it at submit.</summary>
public sealed record JourneyFromTranscriptPayload(
    [Description("The conversation as text, speaker labels welcome (\"Customer: …\").")]
    [StringLength(JourneyFromTranscriptHandler.MaxTranscriptLength, MinimumLength = 1), NotBlank]
    string Transcript,
    [Description(JourneyFromTranscriptPayload.PromptDescription)]
    [StringLength(JourneyFromTranscriptHandler.MaxPromptLength)]
    string? Prompt = null)
{
    public const string PromptDescription = "Optional guidance for the model: the product, the persona, what to focus on.";
}

/// <summary>
/// The payload of a <c>journey.from-diagram</c> job: exactly one of <see cref="ImageBase64"/> and
/// <see cref="UploadId"/>, which the schema says (<c>oneOf</c>) and the API checks at submit.
/// </summary>
[ExactlyOneOf(nameof(ImageBase64), nameof(UploadId))]
public sealed record JourneyFromDiagramPayload(
    [Description("The PNG or JPEG image, base64-encoded (a data: URL is accepted too). Exactly one of imageBase64 and uploadId.")]
    [StringLength(JourneyFromDiagramHandler.MaxImageBase64Length, MinimumLength = 1)]
    // The UI's form has the uploadId picker for the same image; nobody types base64 into a text box.
    [FormHidden]
    string? ImageBase64 = null,
    [Description("An image uploaded with POST /api/uploads. Exactly one of imageBase64 and uploadId.")]
    [Upload("image/png,image/jpeg")]
    Guid? UploadId = null,
    [Description(JourneyFromTranscriptPayload.PromptDescription)]
    [StringLength(JourneyFromTranscriptHandler.MaxPromptLength)]
    string? Prompt = null);
