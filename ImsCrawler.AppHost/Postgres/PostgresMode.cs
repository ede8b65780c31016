namespace ImsCrawler.AppHost.Postgres;

/// <summary>Where the AppHost gets PostgreSQL from (configuration key <c>Postgres:Mode</c>).</summary>
public enum PostgresMode
{
    Auto,
    Container,
    Local,
    External,
}

public static class PostgresModes
{
    public const string ConfigurationKey = "Postgres:Mode";

    public static readonly string ValidValues = string.Join(", ", Enum.GetNames<PostgresMode>().Select(name => name.ToLowerInvariant()));

    public static PostgresMode Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return PostgresMode.Auto;
        }

        // Enum.TryParse alone would also accept numbers such as "7".
        if (Enum.GetNames<PostgresMode>().FirstOrDefault(name => name.Equals(value.Trim(), StringComparison.OrdinalIgnoreCase)) is { } known)
        {
            return Enum.Parse<PostgresMode>(known);
        }

        throw new InvalidOperationException(
            $"{ConfigurationKey} is '{value}', which is not a valid mode. Valid values: {ValidValues}.");
    }
}
