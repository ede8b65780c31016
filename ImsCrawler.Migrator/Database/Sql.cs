namespace ImsCrawler.Migrator.Database;

/// <summary>Quoting for the few statements that cannot take parameters (CREATE/DROP DATABASE).</summary>
public static class Sql
{
    public static string QuoteIdentifier(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public static string QuoteLiteral(string value) => "'" + value.Replace("'", "''") + "'";
}
