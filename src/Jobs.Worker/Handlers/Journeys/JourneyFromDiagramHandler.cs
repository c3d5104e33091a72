using System.Text.Json;
using Jobs.Core.Engine;
using Jobs.Core.Engine.Catalog.Declarations;
using Jobs.Core.Files;
using Jobs.Worker.Integrations.Chat;
using Jobs.Worker.Processing;

namespace Jobs.Worker.Handlers.Journeys;

/// <summary>
/// <c>journey.from-diagram</c>: turns a picture of a journey or process diagram (PNG or JPEG, given inline as base64
/// or uploaded first with <c>POST /api/uploads</c>) into a customer journey, with one call to a vision-capable chat
/// model (<see cref="JourneyGenerator"/>). Exactly one of <c>imageBase64</c> and <c>uploadId</c>, which the API checks
/// at submit; an image that is not PNG or JPEG, or an upload this workspace does not have, fail the job at once.
/// </summary>
[JobType(TypeName, Title = "Journey from diagram", MaxAttempts = 2, TimeoutSeconds = 2400,
    Description = "Turns a journey or process diagram (PNG or JPEG) into a customer journey: stages, their steps and pain points. Give exactly one of imageBase64 (the image inline, up to about 5 MB) or uploadId (an image uploaded with POST /api/uploads, up to 20 MB). One call to a vision-capable chat model, which may take minutes; the elapsed time is reported while waiting.")]
[JobStage(JourneyStages.Preparing, "Starting analysis…", During = "preparation")]
[JobStage(JourneyStages.WaitingForModel, "Analyzing the diagram…", During = "the analysis", Hint = "a complex diagram takes longer")]
[JobStage(JourneyStages.Reading, "Reading the journey…", During = "reading the answer")]
[JobMetric("elapsed_seconds", "Model time (s)")]
[JobMetric("tokens", "Tokens")]
[JobMetric("total_cost", "Cost")]
public sealed class JourneyFromDiagramHandler(JourneyGenerator generator, IFileStore files) : JobHandler<JourneyFromDiagramPayload, JsonElement>
{
    public const string TypeName = "journey.from-diagram";

    /// <summary>About 5 MB of image inline; the API's request body limit is 8 MB.</summary>
    public const int MaxImageBase64Length = 7_000_000;

    /// <summary>OpenAI takes images up to 20 MB.</summary>
    public const long MaxUploadBytes = 20L * 1024 * 1024;

    protected override async Task<JsonElement> HandleAsync(JobContext context, JourneyFromDiagramPayload payload, CancellationToken cancellationToken)
    {
        // The schema refuses neither and both at submit (ExactlyOneOf); this still refuses a blank imageBase64, and a
        // payload stored before the schema said so.
        var inline = !string.IsNullOrWhiteSpace(payload.ImageBase64);
        if (inline == payload.UploadId.HasValue)
        {
            throw new NonRetryableJobException(inline
                ? "Give either imageBase64 or uploadId, not both."
                : "Give the diagram as imageBase64 or as uploadId (one of them is required).");
        }

        await context.ReportAsync(percent: 0, stage: JourneyStages.Preparing, message: "reading the diagram");
        byte[] bytes;
        string input;
        if (inline)
        {
            bytes = Decode(payload.ImageBase64!);
            input = "image";
        }
        else
        {
            var (upload, content) = await files.UploadOpenReadAsync(context.Job.WorkspaceId, payload.UploadId!.Value, cancellationToken)
                ?? throw new NonRetryableJobException($"Upload {payload.UploadId} does not exist in this workspace.");
            await using var contentScope = content;
            if (upload.Size > MaxUploadBytes)
            {
                throw new NonRetryableJobException($"Upload {upload.Id} is {upload.Size} bytes; a diagram may be at most {MaxUploadBytes} bytes.");
            }

            using var buffer = new MemoryStream((int)upload.Size);
            await content.CopyToAsync(buffer, cancellationToken);
            bytes = buffer.ToArray();
            input = "upload";
        }

        var mediaType = MediaTypeOf(bytes)
            ?? throw new NonRetryableJobException("The diagram is neither a PNG nor a JPEG image.");
        await context.ReportAsync(percent: 5, message: $"{mediaType} image of {bytes.Length} bytes");
        var userText = JourneyFromTranscriptHandler.UserText(payload.Prompt,
            "Describe the customer journey that this diagram shows.");
        return await generator.GenerateAsync(context, input, userText, new ChatImage(mediaType, Convert.ToBase64String(bytes)), cancellationToken);
    }

    private static byte[] Decode(string base64)
    {
        var text = base64.Trim();
        if (text.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && text.IndexOf(',') is var comma and > 0)
        {
            text = text[(comma + 1)..];
        }

        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw new NonRetryableJobException("imageBase64 is not valid base64.");
        }
    }

    /// <summary>By the file's signature, not by what it claims to be.</summary>
    public static string? MediaTypeOf(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]) ? "image/jpeg"
        : null;
}
