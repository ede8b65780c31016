namespace ImsCrawler.AppHost.Postgres;

/// <summary>How to start a PostgreSQL binary, dropping root privileges when needed.</summary>
public sealed record LocalPostgresLaunch(string Command, string[] Arguments)
{
    // setpriv execs in place (unlike su or runuser, which fork), so DCP's stop signal reaches postgres itself.
    private const string SetPriv = "/usr/bin/setpriv";

    // localhost only, no Unix socket (no path-length limits, no clash with a system cluster). synchronous_commit=off
    // risks losing the last transactions on a crash but never corrupts: fine for a development cluster. A read
    // replica's slot keeps at most 1 GB of WAL while the replica is down; beyond that it is re-made on its next start.
    private static readonly string[] ServerSettings =
        ["-c", "listen_addresses=localhost", "-c", "unix_socket_directories=", "-c", "synchronous_commit=off", "-c", "max_slot_wal_keep_size=1GB"];

    public static LocalPostgresLaunch For(LocalPostgresOptions options) =>
        Binary(options, "postgres", ["-D", options.DataDirectory, .. ServerSettings]);

    public static LocalPostgresLaunch Binary(LocalPostgresOptions options, string name, string[] arguments)
    {
        var executable = PostgresBinaries.Executable(options.BinDirectory, name);
        if (options.OsUser is null)
        {
            return new(executable, arguments);
        }

        if (!File.Exists(SetPriv))
        {
            throw new InvalidOperationException($"PostgreSQL refuses to run as root and {SetPriv} (util-linux) is missing: install it or run the AppHost as a normal user.");
        }

        return new(SetPriv, ["--reuid", options.OsUser, "--regid", options.OsUser, "--init-groups", "--", executable, .. arguments]);
    }
}
