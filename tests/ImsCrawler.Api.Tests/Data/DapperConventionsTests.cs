using System.Text.Json;
using Dapper;
using ImsCrawler.Api.Data;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Api.Tests.Data;

/// <summary>The Dapper conventions every query class relies on, registered the way the Api and the import command do.</summary>
public sealed class DapperConventionsTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    // No parameterless constructor: Dapper can only fill it through its constructor.
    private sealed record Row(long SessionId, string SessionUuid, JsonElement Metadata, JsonElement? Detail, JsonElement? Missing,
        string[] Roles, DateTime StartedAt);

    [Fact]
    public async Task A_positional_record_is_read_through_its_constructor_from_underscore_names_jsonb_and_text_arrays()
    {
        DapperConventions.Register();
        await using var connection = await database.OpenAsync();

        var row = await connection.QuerySingleAsync<Row>("""
            select 7::bigint as session_id, 'u-1'::varchar(100) as session_uuid, '{"a": [1, "값"]}'::jsonb as metadata,
                   '"text"'::jsonb as detail, null::jsonb as missing, array['ims_admin', 'ims_user']::text[] as roles,
                   '2024-03-14T01:02:03Z'::timestamptz as started_at
            """);

        Assert.Equal((7L, "u-1"), (row.SessionId, row.SessionUuid));
        Assert.Equal("값", row.Metadata.GetProperty("a")[1].GetString());
        Assert.Equal("text", row.Detail!.Value.GetString());
        Assert.Null(row.Missing);
        Assert.Equal(["ims_admin", "ims_user"], row.Roles);
        Assert.Equal(new DateTime(2024, 3, 14, 1, 2, 3, DateTimeKind.Utc), row.StartedAt);
    }

    [Fact]
    public async Task A_json_element_parameter_is_written_as_jsonb_and_json_null_or_an_absent_one_as_sql_null()
    {
        DapperConventions.Register();
        await using var connection = await database.OpenAsync();
        var value = JsonDocument.Parse("""{"k": "値"}""").RootElement;
        var jsonNull = JsonDocument.Parse("null").RootElement;

        var (type, key, nullIsNull, absentIsNull) = await connection.QuerySingleAsync<(string, string, bool, bool)>(
            "select pg_typeof(@value)::text, @value ->> 'k', @jsonNull::jsonb is null, @absent::jsonb is null",
            new { value, jsonNull, absent = (JsonElement?)null });

        Assert.Equal(("jsonb", "値", true, true), (type, key, nullIsNull, absentIsNull));
    }
}
