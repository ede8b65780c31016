using System.Text;
using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Search;

/// <summary>
/// sql/14: whatever text an issue holds, the existing crawler's plain INSERTs succeed; the search document is cut to
/// the tsvector limit, title first, and says where it was cut. CJK bigrams are the same as before, built in one pass.
/// </summary>
public sealed class SearchDocumentLimitTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_crawlers_inserts_of_a_huge_issue_succeed_and_its_document_is_cut_in_order_of_use()
    {
        var userId = await fixture.UserAsync();
        var sessionId = await fixture.SessionAsync(userId, status: "running");
        var words = string.Join(' ', Enumerable.Range(0, 100_000).Select(i => $"v{i:x}k{i * 31 % 99_991:x}"));

        var issuePk = await fixture.AsRoleAsync(Roles.User, userId, async connection =>
        {
            var pk = await connection.ExecuteScalarAsync<long>(
                "SELECT ims.upsert_issue(@id, 'Giant DUMPTITLEWORD issue', @words, 'OpenFrame', 'Open', '{}'::jsonb)",
                new { id = TestData.Unique("BIG"), words });
            await connection.ExecuteAsync(
                "INSERT INTO ims.issue_comments (issue_pk, comment_number, author, content) VALUES (@pk, 1, 'eng', 'COMMENTONLYWORD')",
                new { pk });
            await connection.ExecuteAsync(
                "INSERT INTO ims.attachments (issue_pk, session_id, filename, extracted_text, text_extracted) VALUES (@pk, @sessionId, 'a.log', @words, true)",
                new { pk, sessionId, words });
            return pk;
        });

        var document = await fixture.QuerySingleAsync<(string? CutFrom, bool Title, bool Early, bool Comment)>("""
            SELECT cut_from, document @@ ims.parse_search_query('DUMPTITLEWORD'), document @@ ims.parse_search_query('v0k0'),
                   document @@ ims.parse_search_query('COMMENTONLYWORD')
            FROM ims.issue_search_documents WHERE issue_pk = @issuePk
            """, new { issuePk });
        Assert.Equal(("description", true, true, false), document);
        Assert.Equal(words.Length, await fixture.ScalarAsync<int>("SELECT length(description) FROM ims.issues WHERE issue_pk = @issuePk", new { issuePk }));
    }

    [Fact]
    public async Task An_issue_that_fits_keeps_a_whole_document()
    {
        var issuePk = await fixture.IssueAsync("Small TINYWORD issue", "a short description");

        Assert.Null(await fixture.ScalarAsync<string?>("SELECT cut_from FROM ims.issue_search_documents WHERE issue_pk = @issuePk", new { issuePk }));
    }

    [Theory]
    [InlineData("가")]
    [InlineData("배치 작업이 타임아웃으로 종료됩니다")]
    [InlineData("夜間バッチが TPETIME で終了します。x 日本語")]
    [InlineData("abc 가나 d 라 마바사아 日")]
    [InlineData("")]
    public async Task Cjk_runs_become_overlapping_bigrams_with_positions_per_run(string text)
    {
        var actual = await fixture.ScalarAsync<string>("SELECT ims.cjk_bigram_vector(@text)::text", new { text });

        Assert.Equal(await fixture.ScalarAsync<string>("SELECT @expected::tsvector::text", new { expected = Bigrams(text) }), actual);
    }

    [Fact]
    public async Task A_long_cjk_run_is_indexed()
    {
        var text = string.Concat(Enumerable.Range(0, 60_000).Select(i => (char)(0xAC00 + i * 7919 % 11172)));

        var lexemes = await fixture.ScalarAsync<int>("SELECT length(ims.cjk_bigram_vector(@text))", new { text });

        Assert.True(lexemes > 10_000, $"{lexemes} lexemes");
    }

    /// <summary>The reference (sql/04's definition): per run of CJK characters, each bigram (or the single character) at
    /// consecutive positions, one position skipped before each run.</summary>
    private static string Bigrams(string text)
    {
        var grams = new StringBuilder();
        var position = 0;
        var runs = System.Text.RegularExpressions.Regex.Matches(text,
            "[\u1100-\u11FF\u3005\u3040-\u30FF\u3130-\u318F\u3400-\u4DBF\u4E00-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF66-\uFF9F]+");
        foreach (System.Text.RegularExpressions.Match run in runs)
        {
            position++;
            var value = run.Value;
            for (var i = 0; i < Math.Max(value.Length - 1, 1); i++)
                grams.Append('\'').Append(value.Length == 1 ? value : value.Substring(i, 2)).Append("':").Append(++position).Append(' ');
        }
        return grams.ToString();
    }
}
