using System.Security.Cryptography;
using System.Text;

namespace ImsCrawler.Migrator.Logins;

/// <summary>
/// PostgreSQL's SCRAM-SHA-256 password verifier (<c>SCRAM-SHA-256$iterations:salt$StoredKey:ServerKey</c>,
/// RFC 5802/7677). The Migrator sends a verifier, never the password itself, so the password cannot
/// appear in the server's statement log.
/// </summary>
public static class ScramVerifier
{
    private const string Prefix = "SCRAM-SHA-256$";
    private const int DefaultIterations = 4096;
    private const int SaltBytes = 16;

    public static string Create(string password) =>
        Create(password, RandomNumberGenerator.GetBytes(SaltBytes), DefaultIterations);

    public static string Create(string password, byte[] salt, int iterations)
    {
        var salted = Rfc2898DeriveBytes.Pbkdf2(Normalize(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var storedKey = SHA256.HashData(clientKey);
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"{Prefix}{iterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }

    /// <summary>Whether <paramref name="verifier"/> (as stored in pg_authid) accepts <paramref name="password"/>.</summary>
    public static bool Matches(string? verifier, string password)
    {
        if (verifier is null || !verifier.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var parts = verifier[Prefix.Length..].Split('$');
        if (parts.Length != 2 || parts[0].Split(':') is not [var iterationText, var saltText]
            || !int.TryParse(iterationText, out var iterations) || iterations < 1)
            return false;
        try
        {
            var expected = Create(password, Convert.FromBase64String(saltText), iterations);
            return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(verifier));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    // PostgreSQL applies SASLprep; for the passwords people type (and all generated ones) that is NFKC.
    private static byte[] Normalize(string password) => Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC));
}
