using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ImsCrawler.Web.Account;

/// <summary>
/// Keeps each sign-in (with the person's API key) on the server, one file per session, encrypted with Data
/// Protection; the browser's cookie holds only the session's random id. So the key never reaches the browser,
/// sign-out really ends the session (a copied cookie is worthless afterwards), and a restart keeps everyone
/// signed in because the files and the Data Protection keys are both persisted.
/// </summary>
public sealed partial class FileTicketStore : ITicketStore
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(10);
    private readonly IDataProtector protector;
    private readonly TimeProvider clock;
    private readonly TimeSpan lifetime;
    private long nextSweep;

    public FileTicketStore(IDataProtectionProvider dataProtection, IOptions<WebOptions> options, TimeProvider clock)
    {
        protector = dataProtection.CreateProtector("ImsCrawler.Web.Sessions");
        this.clock = clock;
        lifetime = options.Value.SessionLifetime;
        Directory = Path.Combine(options.Value.DataDirectory, "sessions");
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        await WriteAsync(key, ticket);
        Sweep();
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) =>
        IsValidKey(key) ? WriteAsync(key, ticket) : Task.CompletedTask;

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (!IsValidKey(key) || !File.Exists(PathOf(key)))
            return null;
        try
        {
            var ticket = TicketSerializer.Default.Deserialize(protector.Unprotect(await File.ReadAllBytesAsync(PathOf(key))));
            if (ticket?.Properties.ExpiresUtc is { } expires && expires < clock.GetUtcNow())
            {
                await RemoveAsync(key);
                return null;
            }
            return ticket;
        }
        catch (Exception exception) when (exception is CryptographicException or IOException)
        {
            // Unreadable (keys rotated away, or a half-deleted file): the person signs in again.
            return null;
        }
    }

    public Task RemoveAsync(string key)
    {
        if (IsValidKey(key))
            File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    private async Task WriteAsync(string key, AuthenticationTicket ticket)
    {
        var temporary = PathOf(key) + ".tmp";
        await File.WriteAllBytesAsync(temporary, protector.Protect(TicketSerializer.Default.Serialize(ticket)));
        File.Move(temporary, PathOf(key), overwrite: true);
    }

    /// <summary>Deletes sessions nobody used for longer than their lifetime (sliding expiry renews the file).</summary>
    private void Sweep()
    {
        var now = clock.GetUtcNow();
        var due = Interlocked.Read(ref nextSweep);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref nextSweep, (now + SweepInterval).UtcTicks, due) != due)
            return;
        foreach (var file in new DirectoryInfo(Directory).EnumerateFiles())
        {
            if (file.LastWriteTimeUtc < (now - lifetime - TimeSpan.FromMinutes(1)).UtcDateTime)
                file.Delete();
        }
    }

    private string PathOf(string key) => Path.Combine(Directory, key);

    private static bool IsValidKey(string key) => SessionKey().IsMatch(key);

    [GeneratedRegex("^[A-Za-z0-9_-]{43}$")]
    private static partial Regex SessionKey();
}

/// <summary>Hands the store to the cookie handler (the store needs services, the options do not have them).</summary>
internal sealed class UseFileTicketStore(FileTicketStore store) : IPostConfigureOptions<CookieAuthenticationOptions>
{
    public void PostConfigure(string? name, CookieAuthenticationOptions options) => options.SessionStore = store;
}
