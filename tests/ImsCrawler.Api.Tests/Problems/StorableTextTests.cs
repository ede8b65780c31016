using Dapper;
using ImsCrawler.Api.Problems;
using ImsCrawler.TestSupport;
using Npgsql;

namespace ImsCrawler.Api.Tests.Problems;

/// <summary>The API's idea of what jsonb can store agrees with PostgreSQL's own, checked against the real server.</summary>
public sealed class StorableTextTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Theory]
    [InlineData("0")]
    [InlineData("-0.5")]
    [InlineData("1e999999")]
    [InlineData("-1e999999")]
    [InlineData("1e-999999")]
    [InlineData("0e-999999")]
    [InlineData("0e999999")]
    [InlineData("1e131071")]
    [InlineData("1e131072")]
    [InlineData("9e131071")]
    [InlineData("123e131070")]
    [InlineData("1e-16383")]
    [InlineData("1e-16384")]
    [InlineData("1.5e-16382")]
    [InlineData("1.5e-16383")]
    [InlineData("0.00000e-16380")]
    [InlineData("1e99999999999999999999")]
    [InlineData("12345678901234567890.123456789")]
    public async Task A_json_number_is_refused_exactly_when_jsonb_refuses_it(string number)
    {
        bool postgresStores;
        await using (var connection = await database.OpenAsync())
        {
            try
            {
                await connection.ExecuteScalarAsync<string>("select @number::jsonb::text", new { number });
                postgresStores = true;
            }
            catch (PostgresException exception) when (exception.SqlState.StartsWith("22", StringComparison.Ordinal))
            {
                postgresStores = false;
            }
        }

        Assert.Equal(postgresStores, StorableText.NumberProblem(number) is null);
    }

    // Code units, not strings: a lone surrogate would not survive the test runner's serialization of theory data.
    [Theory]
    [InlineData(new[] { 'a', '\0', 'b' }, false)]
    [InlineData(new[] { '\ud800' }, false)]
    [InlineData(new[] { 'x', '\udc00' }, false)]
    [InlineData(new[] { '\ud83d', '\ude00', ' ', '한', '日' }, true)]
    [InlineData(new char[0], true)]
    public async Task Text_is_refused_exactly_when_postgres_refuses_it(char[] units, bool storable)
    {
        var text = new string(units);
        Assert.Equal(storable, StorableText.Problem(text) is null);
        await using var connection = await database.OpenAsync();
        if (storable)
            Assert.Equal(text, await connection.ExecuteScalarAsync<string>("select @text::text", new { text }));
        else // PostgreSQL refuses NUL; a lone surrogate cannot even be encoded as UTF-8 to send.
            await Assert.ThrowsAnyAsync<Exception>(() => connection.ExecuteScalarAsync<string>("select @text::text", new { text }));
    }
}
