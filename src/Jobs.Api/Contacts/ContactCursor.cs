using System.Buffers.Text;
using System.Text;
using Jobs.Core.Workloads.Contacts;

namespace Jobs.Api.Contacts;

/// <summary>
/// Where a page of contacts ends: the last id (newest first) or the last email (email order). Opaque to clients
/// (base64url of the sort and the key), and valid only with the sort that produced it.
/// </summary>
public sealed record ContactCursor(ContactSort Sort, Guid? Id, string? Email)
{
    public static ContactCursor After(ContactRow last, ContactSort sort) =>
        sort == ContactSort.Newest ? new(sort, last.Id, null) : new(sort, null, last.Email);

    public string Encode() =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(Sort == ContactSort.Newest ? $"n:{Id}" : $"e:{Email}"));

    public static bool TryDecode(string text, out ContactCursor? cursor)
    {
        cursor = null;
        if (text.Length > 1000)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            return false;
        }

        if (decoded.StartsWith("n:", StringComparison.Ordinal) && Guid.TryParse(decoded[2..], out var id))
        {
            cursor = new ContactCursor(ContactSort.Newest, id, null);
        }
        else if (decoded.StartsWith("e:", StringComparison.Ordinal) && decoded.Length > 2)
        {
            cursor = new ContactCursor(ContactSort.Email, null, decoded[2..]);
        }

        return cursor is not null;
    }
}
