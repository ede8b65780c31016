using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;

namespace ImsCrawler.Api.Search;

/// <summary>
/// Opaque keyset cursors: base64url of a version byte, a fingerprint of the query and filters the cursor
/// was made for (so a cursor cannot be replayed against another search), and the last row's sort key.
/// </summary>
public static class Cursors
{
    private const byte Version = 1;

    /// <summary>A search cursor: the (rank, issue_pk) of the last hit. The rank is kept bit-exact (float4).</summary>
    public static string EncodeRank(string fingerprint, float rank, long issuePk)
    {
        Span<byte> bytes = stackalloc byte[1 + 4 + 4 + 8];
        bytes[0] = Version;
        Fingerprint(fingerprint).CopyTo(bytes[1..]);
        BinaryPrimitives.WriteSingleBigEndian(bytes[5..], rank);
        BinaryPrimitives.WriteInt64BigEndian(bytes[9..], issuePk);
        return WebEncoders.Base64UrlEncode(bytes.ToArray());
    }

    public static bool TryDecodeRank(string cursor, string fingerprint, out float rank, out long issuePk)
    {
        rank = 0;
        issuePk = 0;
        if (!TryDecode(cursor, 17, fingerprint, out var bytes))
            return false;
        rank = BinaryPrimitives.ReadSingleBigEndian(bytes.AsSpan(5));
        issuePk = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(9));
        return float.IsFinite(rank);
    }

    /// <summary>A cursor over one bigint key (issues by issue_pk, newest first).</summary>
    public static string EncodeId(string fingerprint, long id)
    {
        Span<byte> bytes = stackalloc byte[1 + 4 + 8];
        bytes[0] = Version;
        Fingerprint(fingerprint).CopyTo(bytes[1..]);
        BinaryPrimitives.WriteInt64BigEndian(bytes[5..], id);
        return WebEncoders.Base64UrlEncode(bytes.ToArray());
    }

    public static bool TryDecodeId(string cursor, string fingerprint, out long id)
    {
        id = 0;
        if (!TryDecode(cursor, 13, fingerprint, out var bytes))
            return false;
        id = BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(5));
        return true;
    }

    private static bool TryDecode(string cursor, int length, string fingerprint, out byte[] bytes)
    {
        bytes = [];
        if (cursor.Length is 0 or > 64)
            return false;
        try
        {
            bytes = WebEncoders.Base64UrlDecode(cursor);
        }
        catch (FormatException)
        {
            return false;
        }
        return bytes.Length == length && bytes[0] == Version && bytes.AsSpan(1, 4).SequenceEqual(Fingerprint(fingerprint));
    }

    private static byte[] Fingerprint(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value))[..4];
}
