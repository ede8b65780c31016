using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Search;

/// <summary>
/// sql/16: the document and its title/head parts as sql/04 built them, ranking tiers and keyset pages, the capped count and
/// facets, query interpretation per language, similar issues. Every test isolates its issues by a product nobody
/// else uses (passed as the family filter) or by a code word nobody else writes.
/// </summary>
public sealed class SearchAtScaleTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private static string NewProduct() => "Zq" + Guid.NewGuid().ToString("N")[..10];

    private static string NewCode() => "zq7" + Guid.NewGuid().ToString("N")[..10];

    private Task<IReadOnlyList<(long IssuePk, int Tier)>> PageAsync(string query, string? product, int limit = 100,
        int? afterTier = null, long? afterPk = null, string? status = null) =>
        fixture.QueryAsync<(long, int)>(
            """
            SELECT issue_pk, tier FROM ims.search_issue_page(ims.parse_search_query(@query), @product, @status,
                p_after_tier => @afterTier, p_after_pk => @afterPk, p_limit => @limit)
            """,
            new { query, product, status, limit, afterTier, afterPk });

    private async Task<long> IssueWithAsync(string title, string? description = null, string? product = null, string? comment = null,
        string? attachment = null, string status = "Open")
    {
        var pk = await fixture.IssueAsync(title: title, description: description, product: product, status: status);
        if (comment is not null)
            await fixture.ExecuteAsync("INSERT INTO ims.issue_comments (issue_pk, comment_number, content) VALUES (@pk, 1, @comment)", new { pk, comment });
        if (attachment is not null)
            await fixture.ExecuteAsync("INSERT INTO ims.attachments (issue_pk, filename, extracted_text) VALUES (@pk, 'a.txt', @attachment)", new { pk, attachment });
        return pk;
    }

    [Fact]
    public async Task Documents_and_their_title_and_head_parts_are_the_vectors_sql04_built_for_mixed_text()
    {
        string[] texts =
        [
            "", "   ", "plain English: the connections were refused after restart (TPETIME-12)",
            "배치 작업이 야간에 타임아웃으로 종료됩니다 OFCOBOL로 실행", "夜間バッチがタイムアウトで異常終了します。SVC99で発生",
            "로 가 이", "a 한 b 글 c", "カタカナ・中黒とー長音、゛濁点 ゜", "ﾊﾝｶｸｶﾀｶﾅ 々 漢字々",
            "mixed배치job타임아웃error接続エラー end", "\n\t줄바꿈\n\t改行\t",
            string.Concat(Enumerable.Repeat("타임아웃발생 ", 4000)),   // past 16,383 positions: clamped the same way
            string.Concat(Enumerable.Repeat("배치 timeout 接続 ", 300)),
        ];
        await using var connection = await fixture.OpenAsync();
        await connection.ExecuteAsync(ReferenceDocumentBuild.CreateFunctions);
        var differing = await connection.QueryAsync<string>(
            """
            SELECT t FROM unnest(@texts) AS t, unnest(ARRAY['A', 'B', 'C', 'D']::"char"[]) AS w
            WHERE pg_temp.old_text_search_vector(t, w) IS DISTINCT FROM ims.text_search_vector(t, w)
            """, new { texts });
        Assert.Empty(differing);
        Assert.True(await connection.ExecuteScalarAsync<bool>(
            "SELECT pg_temp.old_text_search_vector(NULL, 'A') = ims.text_search_vector(NULL, 'A')"));

        // A stored document is the old composition of its four fields; its title and head parts are the first ones.
        var pk = await IssueWithAsync("Batch 타임아웃 on JEUS", "설명 description 接続エラー", NewProduct(), "코멘트 comment", "첨부 attachment");
        Assert.True(await connection.ExecuteScalarAsync<bool>(
            """
            SELECT d.document = pg_temp.old_text_search_vector(i.title, 'A') || pg_temp.old_text_search_vector(i.description, 'B')
                                || pg_temp.old_text_search_vector('코멘트 comment', 'C') || pg_temp.old_text_search_vector('첨부 attachment', 'D')
                   AND ims.search_head(d.document) = pg_temp.old_text_search_vector(i.title, 'A') || pg_temp.old_text_search_vector(i.description, 'B')
                   AND ims.search_title(d.document) = pg_temp.old_text_search_vector(i.title, 'A')
            FROM ims.issue_search_documents d JOIN ims.issues i USING (issue_pk) WHERE d.issue_pk = @pk
            """, new { pk }));
    }

    [Fact]
    public async Task Hits_come_by_tier_title_description_comments_attachments_then_newest_first()
    {
        var product = NewProduct();
        var code = NewCode();
        var attachment = await IssueWithAsync("a", "nothing", product, attachment: $"dump {code}");
        var comment = await IssueWithAsync("b", "nothing", product, comment: $"saw {code}");
        var description = await IssueWithAsync("c", $"the {code} here", product);
        var olderTitle = await IssueWithAsync($"{code} first", null, product);
        var newerTitle = await IssueWithAsync($"{code} second", null, product);
        // One word in the title, the other in the description: together they rank as the description tier.
        var split = await IssueWithAsync($"{code} split", "pelican", product);

        Assert.Equal([(split, 1), (newerTitle, 1), (olderTitle, 1), (description, 2), (comment, 3), (attachment, 4)],
            await PageAsync(code, product));
        Assert.Equal([(split, 2)], await PageAsync($"{code} pelican", product));
        Assert.Equal([1.0f, 0.4f, 0.2f, 0.1f], await fixture.QueryAsync<float>("SELECT ims.search_tier_rank(t) FROM generate_series(1, 4) AS t"));
    }

    [Fact]
    public async Task Keyset_pages_return_every_hit_once_in_order_across_tiers()
    {
        var product = NewProduct();
        var code = NewCode();
        for (var i = 0; i < 3; i++)
        {
            await IssueWithAsync($"{code} title {i}", null, product);
            await IssueWithAsync($"issue {i}", $"{code} description", product);
            await IssueWithAsync($"issue {i}", "nothing", product, comment: $"{code} comment");
        }
        var all = await PageAsync(code, product);
        Assert.Equal(9, all.Count);

        var paged = new List<(long, int)>();
        (long IssuePk, int Tier)? last = null;
        for (var page = 0; page < 10; page++)
        {
            var rows = await PageAsync(code, product, 2, last?.Tier, last?.IssuePk);
            if (rows.Count == 0)
                break;
            paged.AddRange(rows);
            last = rows[^1];
        }
        Assert.Equal(all, paged);
    }

    [Theory]
    [InlineData("OFCOBOL로", "OFCOBOL", "ko")]
    [InlineData("TPETIME이", "TPETIME", "ko")]
    [InlineData("SVC99で", "SVC99", "ja")]
    [InlineData("SVC99에서", "SVC99", "ko")]
    [InlineData("TPETIME가", "TPETIME", "en")]
    public async Task A_particle_glued_to_a_code_matches_the_bare_code_in_every_language(string typed, string code, string _)
    {
        var product = NewProduct();
        var korean = await IssueWithAsync($"{code} 오류 발생", "배치 작업 실패", product);
        var japanese = await IssueWithAsync($"{code}が発生", "夜間バッチ", product);
        var english = await IssueWithAsync($"Job failed with {code}", "batch job", product);
        await IssueWithAsync("Unrelated", "nothing to see", product);

        var found = (await PageAsync(typed, product)).Select(hit => hit.IssuePk).Order();
        Assert.Equal(new[] { korean, japanese, english }.Order(), found);
        Assert.True(await fixture.ScalarAsync<bool>(
            "SELECT ims.parse_search_query(@typed) = ims.parse_search_query(@code)", new { typed, code }));
    }

    [Theory]
    [InlineData("ko", "배치 타임아웃 해결 방법", "배치 타임아웃", "해결 방법")]
    [InlineData("ko", "배치 타임아웃 원인이 뭔가요", "배치 타임아웃 뭔가요", "원인")]
    [InlineData("ko", "배치 타임아웃 어떻게 알려줘", "배치 타임아웃", "어떻게")]
    [InlineData("ko", "배치 타임아웃 관련 문제", "배치 타임아웃", "관련")]
    [InlineData("ja", "バッチ タイムアウト 解決方法", "バッチ タイムアウト", "解決方法")]
    [InlineData("ja", "タイムアウトの原因を教えて", "タイムアウト", "原因")]
    [InlineData("ja", "バッチについて", "バッチ", "について")]
    [InlineData("en", "how to fix batch timeout", "batch timeout", "how to fix")]
    [InlineData("en", "why does batch timeout", "batch timeout", "why does")]
    [InlineData("en", "error when batch timeout", "batch timeout", "error when")]
    public async Task Intent_words_are_dropped_before_matching(string language, string typed, string expected, string droppedWord)
    {
        var (query, product, fromQuery, dropped) = await fixture.QuerySingleAsync<(string, string?, bool, string[])>(
            "SELECT query, product, product_from_query, dropped FROM ims.interpret_search_query(@typed)", new { typed });
        Assert.Equal(expected, query);
        Assert.Null(product);
        Assert.False(fromQuery);
        Assert.Contains(droppedWord, dropped);
        Assert.NotEmpty(language);
    }

    [Fact]
    public async Task A_query_with_intent_words_finds_and_ranks_what_the_plain_query_does()
    {
        var product = NewProduct();
        await IssueWithAsync("배치 타임아웃 발생", "야간", product);
        await IssueWithAsync("야간 작업", "배치 타임아웃으로 종료", product);
        await IssueWithAsync("배치 오류", "타임아웃 아님", product, comment: "배치 타임아웃 재현");
        await IssueWithAsync("方法", "원인 문제 관련", product);

        var interpreted = await fixture.ScalarAsync<string>(
            "SELECT query FROM ims.interpret_search_query('배치 타임아웃 해결 방법 알려줘')");
        var plain = await PageAsync("배치 타임아웃", product);
        Assert.Equal(3, plain.Count);
        Assert.Equal(plain, await PageAsync(interpreted, product));
        // Only intent words: nothing is dropped, the words are searched as typed.
        Assert.Equal(("원인 문제", 0), await fixture.QuerySingleAsync<(string, int)>(
            "SELECT query, cardinality(dropped) FROM ims.interpret_search_query('원인 문제')"));
    }

    [Fact]
    public async Task A_product_family_named_in_the_query_filters_when_no_product_is_given()
    {
        var family = NewProduct();
        var inFamily = await IssueWithAsync("접속 오류 발생", null, $"{family} Server");
        await IssueWithAsync("접속 오류 발생", null, NewProduct());

        var (query, product, fromQuery) = await fixture.QuerySingleAsync<(string, string, bool)>(
            "SELECT query, product, product_from_query FROM ims.interpret_search_query(@q)", new { q = $"{family.ToLowerInvariant()}에서 접속 오류" });
        Assert.Equal(("접속 오류", family, true), (query, product, fromQuery));
        Assert.Equal([inFamily], (await PageAsync(query, product)).Select(hit => hit.IssuePk));

        // A product parameter wins; the family word is then an ordinary search word.
        Assert.Equal(($"{family} 접속 오류", "Other", false), await fixture.QuerySingleAsync<(string, string, bool)>(
            "SELECT query, product, product_from_query FROM ims.interpret_search_query(@q, 'Other')", new { q = $"{family} 접속 오류" }));
        // The family alone stays a search word.
        Assert.Equal((family, false), await fixture.QuerySingleAsync<(string, bool)>(
            "SELECT query, product_from_query FROM ims.interpret_search_query(@family)", new { family }));
    }

    [Fact]
    public async Task Facets_equal_a_brute_force_count_and_the_total_is_exact_up_to_the_cap()
    {
        var code = NewCode();
        var familyA = NewProduct();
        var familyB = NewProduct();
        string[] statuses = ["Open", "Closed", "종료"];
        for (var i = 0; i < 11; i++)
            await IssueWithAsync($"{code} {i}", null, i % 3 == 0 ? familyA : $"{familyB} Module{i % 2}", status: statuses[i % 3]);

        var (total, estimate, facets) = await fixture.QuerySingleAsync<(long, bool, string)>(
            "SELECT total, is_estimate, facets::text FROM ims.search_issue_count(ims.parse_search_query(@code), p_facets => true)", new { code });
        var brute = await fixture.QuerySingleAsync<string>(
            """
            SELECT jsonb_build_object(
                'product', (SELECT jsonb_object_agg(f, n) FROM (SELECT split_part(i.product, ' ', 1) AS f, count(*) AS n FROM ims.issues i
                            WHERE i.title LIKE @code || ' %' GROUP BY 1) AS p),
                'status', (SELECT jsonb_object_agg(s, n) FROM (SELECT i.status AS s, count(*) AS n FROM ims.issues i
                           WHERE i.title LIKE @code || ' %' GROUP BY 1) AS q))::text
            """, new { code });
        Assert.Equal((11L, false), (total, estimate));
        Assert.True(await fixture.ScalarAsync<bool>("SELECT @facets::jsonb = @brute::jsonb", new { facets, brute }), $"{facets} <> {brute}");

        // Past the cap the total is marked as an estimate and is never below what was counted.
        var capped = await fixture.QuerySingleAsync<(long Total, bool Estimate)>(
            "SELECT total, is_estimate FROM ims.search_issue_count(ims.parse_search_query(@code), p_cap => 5)", new { code });
        Assert.True(capped.Estimate);
        Assert.True(capped.Total >= 6);
        Assert.Equal((4L, false), await fixture.QuerySingleAsync<(long, bool)>(
            "SELECT total, is_estimate FROM ims.search_issue_count(ims.parse_search_query(@code), @familyA)", new { code, familyA }));
    }

    [Fact]
    public async Task Filter_columns_follow_an_issue_update_without_a_rebuild()
    {
        var product = NewProduct();
        var code = NewCode();
        var pk = await IssueWithAsync($"{code} status", null, product);
        Assert.Empty(await PageAsync(code, product, status: "Closed"));

        await fixture.ExecuteAsync("UPDATE ims.issues SET status = 'Closed', modified_date = now() WHERE issue_pk = @pk", new { pk });

        Assert.Equal([(pk, 1)], await PageAsync(code, product, status: "closed"));
        Assert.Equal("Closed", await fixture.ScalarAsync<string>("SELECT status FROM ims.issue_search_documents WHERE issue_pk = @pk", new { pk }));
    }

    [Fact]
    public async Task Similar_issues_rank_the_true_siblings_first_and_exclude_the_issue_itself()
    {
        var product = NewProduct();
        var code = NewCode();
        var marker = NewCode();
        var source = await IssueWithAsync($"{code} abend in {marker} step", "dataset allocation failed with rc=8 during nightly batch", product);
        var sibling = await IssueWithAsync($"{code} abend again in {marker}", "dataset allocation failed on the nightly batch run", product);
        var cousin = await IssueWithAsync($"{marker} report", "dataset allocation", product);
        var stranger = await IssueWithAsync("Nightly batch", "unrelated listener restart", product);

        var similar = await fixture.QueryAsync<(long IssuePk, float Score)>(
            "SELECT issue_pk, score FROM ims.similar_issues(@source, 10)", new { source });

        Assert.DoesNotContain(similar, hit => hit.IssuePk == source);
        Assert.Equal([sibling, cousin], similar.Take(2).Select(hit => hit.IssuePk));
        Assert.True(similar[0].Score > similar[1].Score);
        Assert.All(similar, hit => Assert.InRange(hit.Score, 0f, 1f));
        Assert.DoesNotContain(stranger, similar.Take(2).Select(hit => hit.IssuePk));
        Assert.Empty(await fixture.QueryAsync<long>("SELECT issue_pk FROM ims.similar_issues(-1, 10)"));
    }
}
