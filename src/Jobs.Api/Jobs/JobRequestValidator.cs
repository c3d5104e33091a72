using System.Runtime.InteropServices;
using System.Text.Json;
using Jobs.Api.Problems;
using Jobs.Contracts.Jobs;
using Jobs.Core.Engine.Catalog;
using Jobs.Core.Engine.Storage;
using Microsoft.Extensions.Options;

namespace Jobs.Api.Jobs;

/// <summary>
/// Checks one submission against the catalog and the API's bounds, collecting every failing field (with
/// <c>prefix</c> for batch items) rather than stopping at the first. <c>maxBatchItems</c> is the caller's workspace's
/// cap on a bulk job's item list (<see cref="JobTypeDefinition.ItemsField"/>).
/// </summary>
public sealed class JobRequestValidator(JobTypeCatalog catalog, TimeProvider time, IOptions<ApiOptions> options)
{
    public const int MaxIdempotencyKeyLength = 200;
    public const int MinPriority = -100;
    public const int MaxPriority = 100;
    public const int MaxAttemptsLimit = 25;
    public const int MaxTimeoutSeconds = 7 * 24 * 3600;
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(365);

    public async Task<JobInsertParams?> ValidateAsync(
        SubmitJobRequest? request, string prefix, int maxBatchItems, Dictionary<string, string[]> errors, CancellationToken cancellationToken)
    {
        void Fail(string field, string message) => errors[prefix + field] = [.. errors.GetValueOrDefault(prefix + field) ?? [], message];

        if (request is null)
        {
            Fail(prefix.Length == 0 ? "body" : prefix.TrimEnd('.'), "is required: send a JSON object with type and payload.");
            return null;
        }

        UnknownFields.Check(request.Unknown, prefix, errors);
        JobTypeDefinition? definition = null;
        if (string.IsNullOrWhiteSpace(request.Type))
        {
            Fail("type", "is required.");
        }
        else if ((definition = await catalog.FindAsync(request.Type, cancellationToken)) is null)
        {
            var known = (await catalog.ListAsync(cancellationToken)).Select(t => t.Name);
            Fail("type", $"'{Truncate(request.Type)}' is not a known job type. Known types: {string.Join(", ", known)}.");
        }

        if (request.Payload is not { ValueKind: JsonValueKind.Object } payload)
        {
            Fail("payload", request.Payload is null or { ValueKind: JsonValueKind.Null } ? "is required." : "must be a JSON object.");
            payload = default;
        }
        else if (JsonMarshal.GetRawUtf8Value(payload).Length is var size && size > options.Value.MaxPayloadBytes)
        {
            Fail("payload", $"must be at most {options.Value.MaxPayloadBytes} bytes of JSON, is {size}.");
        }
        else if (definition is not null)
        {
            // The workspace's cap on items speaks for the list: the schema's own maxItems would only repeat it.
            var itemsPath = definition.ItemsField is { } itemsField ? $"payload.{itemsField}" : null;
            var tooManyItems = false;
            if (definition.ItemsField is { } field && payload.TryGetProperty(field, out var items)
                && items.ValueKind == JsonValueKind.Array && items.GetArrayLength() > maxBatchItems)
            {
                Fail(itemsPath!, $"must have at most {maxBatchItems} items (this workspace's max_batch_items), has {items.GetArrayLength()}.");
                tooManyItems = true;
            }

            foreach (var (name, messages) in PayloadValidator.Validate(definition.PayloadSchema, payload))
            {
                var path = name == "payload" ? "payload" : $"payload.{name}";
                foreach (var message in messages.Where(m => !(tooManyItems && path == itemsPath && m.StartsWith("must have at most", StringComparison.Ordinal))))
                {
                    Fail(path, message);
                }
            }
        }

        if (request.Priority is < MinPriority or > MaxPriority)
        {
            Fail("priority", $"must be between {MinPriority} and {MaxPriority}.");
        }

        if (request.MaxAttempts is < 1 or > MaxAttemptsLimit)
        {
            Fail("maxAttempts", $"must be between 1 and {MaxAttemptsLimit}.");
        }

        if (request.TimeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            Fail("timeoutSeconds", $"must be between 1 and {MaxTimeoutSeconds} (7 days).");
        }

        if (request.RunAt is { } runAt && runAt - time.GetUtcNow() > MaxDelay)
        {
            Fail("runAt", "must be within a year from now.");
        }

        if (request.IdempotencyKey is { } key && (key.Length is 0 or > MaxIdempotencyKeyLength || key.Any(char.IsControl)))
        {
            Fail("idempotencyKey", $"must be 1 to {MaxIdempotencyKeyLength} printable characters.");
        }

        if (definition is null || errors.Keys.Any(k => k.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return null;
        }

        return new JobInsertParams(
            definition.Name,
            definition.Queue,
            (short)(request.Priority ?? 0),
            payload,
            request.RunAt,
            request.MaxAttempts ?? definition.MaxAttempts,
            request.TimeoutSeconds ?? definition.TimeoutSeconds,
            request.IdempotencyKey);
    }

    private static string Truncate(string value) => value.Length <= 60 ? value : value[..60] + "…";
}
