using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Jobs.IntegrationTests.Infrastructure;

/// <summary>An HTTP/1.1 response as read off the wire: status, headers (lower-case names) and the decoded body.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement.Clone();

    /// <summary>A complete response (by Content-Length or the last chunk), or false while more is to come.</summary>
    public static bool TryParse(byte[] data, out RawResponse response)
    {
        response = null!;
        var text = Encoding.Latin1.GetString(data);
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0)
        {
            return false;
        }

        var lines = text[..headEnd].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var rest = data.AsSpan(headEnd + 4);
        if (headers.TryGetValue("content-length", out var length))
        {
            var count = int.Parse(length, CultureInfo.InvariantCulture);
            if (rest.Length < count)
            {
                return false;
            }

            response = new RawResponse(status, headers, Encoding.UTF8.GetString(rest[..count]));
            return true;
        }

        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new List<byte>();
            var position = 0;
            while (true)
            {
                var lineEnd = rest[position..].IndexOf("\r\n"u8);
                if (lineEnd < 0)
                {
                    return false;
                }

                var size = int.Parse(Encoding.ASCII.GetString(rest.Slice(position, lineEnd)).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                position += lineEnd + 2;
                if (size == 0)
                {
                    response = new RawResponse(status, headers, Encoding.UTF8.GetString(body.ToArray()));
                    return true;
                }

                if (rest.Length < position + size + 2)
                {
                    return false;
                }

                body.AddRange(rest.Slice(position, size));
                position += size + 2;
            }
        }

        response = new RawResponse(status, headers, "");
        return true;
    }
}
