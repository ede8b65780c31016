using System.Data;
using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace ImsCrawler.Api.Data;

/// <summary>
/// How Dapper maps rows for the Api, set once per process (<see cref="DatabaseResilience.AddUserDatabase"/>; the
/// import command and tests get it the same way): column <c>session_uuid</c> fills property or constructor parameter
/// <c>SessionUuid</c>, so positional records are read through their constructor (columns in parameter order), and
/// <c>jsonb</c> reads into <see cref="JsonElement"/> (nullable too) and is written from it, and <c>text[]</c> reads into
/// <c>string[]</c> (Npgsql reports array columns as <see cref="Array"/>, which constructor matching would refuse).
/// </summary>
public static class DapperConventions
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 1)
            return;
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        SqlMapper.AddTypeHandler(new JsonbHandler());
        SqlMapper.AddTypeHandler(new TextArrayHandler());
    }

    /// <summary>The JSON text of a request value for a jsonb parameter; null when absent or JSON <c>null</c>.</summary>
    public static string? JsonText(JsonElement? value) =>
        value is { ValueKind: not (JsonValueKind.Undefined or JsonValueKind.Null) } element ? element.GetRawText() : null;

    private sealed class JsonbHandler : SqlMapper.TypeHandler<JsonElement>
    {
        public override JsonElement Parse(object value)
        {
            if (value is JsonElement element)
                return element;
            using var document = JsonDocument.Parse((string)value);
            return document.RootElement.Clone();
        }

        public override void SetValue(IDbDataParameter parameter, JsonElement value)
        {
            parameter.Value = JsonText(value) is { } text ? text : DBNull.Value;
            if (parameter is NpgsqlParameter npgsql)
                npgsql.NpgsqlDbType = NpgsqlDbType.Jsonb;
        }
    }

    private sealed class TextArrayHandler : SqlMapper.TypeHandler<string[]>
    {
        public override string[] Parse(object value) => (string[])value;

        public override void SetValue(IDbDataParameter parameter, string[]? value) => parameter.Value = value ?? (object)DBNull.Value;
    }
}
