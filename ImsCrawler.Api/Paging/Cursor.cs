using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace ImsCrawler.Api.Paging;

/// <summary>Where a keyset page ends: the last row's key, and for ranked lists (search) its rank.</summary>
public readonly record struct CursorKey(long Id, float? Rank = null);

/// <summary>
/// Opaque keyset cursors: base64url of a version byte, a fingerprint of the list and filters the cursor was made for
/// (so a cursor cannot be replayed against another list or other filters), and the last row's <see cref="CursorKey"/>
/// (a rank is kept bit-exact, float4).
/// </summary>
public static class Cursor
{
    private const byte Version = 1;
    private const int Header = 1 + 4;

    public static string Encode(string fingerprint, CursorKey key)
    {
        Span<byte> bytes = stackalloc byte[Header + 8 + (key.Rank is null ? 0 : 4)];
        bytes[0] = Version;
        Fingerprint(fingerprint).CopyTo(bytes[1..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes[Header..], key.Id);
        if (key.Rank is { } rank)
            BinaryPrimitives.WriteSingleBigEndian(bytes[(Header + 8)..], rank);
        return WebEncoders.Base64UrlEncode(bytes.ToArray());
    }

    public static bool TryDecode(string cursor, string fingerprint, out CursorKey key)
    {
        key = default;
        if (cursor.Length is 0 or > 64)
            return false;
        byte[] bytes;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(cursor);
        }
        catch (FormatException)
        {
            return false;
        }
        if (bytes.Length is not (Header + 8 or Header + 12) || bytes[0] != Version
            || !bytes.AsSpan(1, 4).SequenceEqual(Fingerprint(fingerprint)))
            return false;
        var id = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(Header));
        if (bytes.Length == Header + 8)
        {
            key = new CursorKey(id);
            return true;
        }
        var rank = BinaryPrimitives.ReadSingleBigEndian(bytes.AsSpan(Header + 8));
        key = new CursorKey(id, rank);
        return float.IsFinite(rank);
    }

    private static byte[] Fingerprint(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value))[..4];
}
