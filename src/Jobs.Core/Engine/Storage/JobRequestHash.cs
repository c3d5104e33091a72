using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Jobs.Core.Engine.Storage;

/// <summary>
/// The fingerprint an idempotency key is bound to: SHA-256 of the resolved request written as canonical JSON, with
/// object properties in ordinal order at every depth, so that the same request sent with its properties in another
/// order is still the same request.
/// </summary>
internal static class JobRequestHash
{
    public static byte[] Compute(JobInsertParams job)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", job.Type);
            writer.WriteString("queue", job.Queue);
            writer.WriteNumber("priority", job.Priority);
            writer.WritePropertyName("payload");
            WriteCanonical(writer, job.Payload);
            writer.WriteString("runAt", job.RunAt?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteNumber("maxAttempts", job.MaxAttempts);
            writer.WriteNumber("timeoutSeconds", job.TimeoutSeconds);
            // Only a request with dependencies writes them, so that the keys of requests without stay bound as before.
            if (job.DependsOn is { Count: > 0 } || job.DependsOnItems is { Count: > 0 })
            {
                writer.WriteStartArray("dependsOn");
                foreach (var id in (job.DependsOn ?? []).Order())
                {
                    writer.WriteStringValue(id);
                }

                foreach (var item in (job.DependsOnItems ?? []).Order())
                {
                    writer.WriteNumberValue(item);
                }

                writer.WriteEndArray();
                writer.WriteString("onDependencyFailure", job.OnDependencyFailure);
            }

            writer.WriteEndObject();
        }

        return SHA256.HashData(buffer.WrittenSpan);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
