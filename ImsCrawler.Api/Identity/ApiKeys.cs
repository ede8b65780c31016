using System.Security.Cryptography;
using System.Text;

namespace ImsCrawler.Api.Identity;

/// <summary>
/// API key format and hashing: <c>ims_</c> + 32 random bytes in base64url (47 characters). Only the
/// SHA-256 of the whole key and its first <see cref="PrefixLength"/> characters are stored.
/// </summary>
public static class ApiKeys
{
    public const string Marker = "ims_";
    public const int PrefixLength = 12;

    public static string Generate() => Marker + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The stored, displayable start of a key (enough to tell keys apart, far too little to guess the rest).</summary>
    public static string Prefix(string key) => key.Length <= PrefixLength * 2 ? key[..Math.Min(4, key.Length)] : key[..PrefixLength];

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
