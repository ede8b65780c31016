using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Search;

/// <summary>
/// <c>ims.search_issues(text, varchar, int)</c> and <c>ims.parse_search_query(text)</c> over the
/// weighted document that the statement triggers keep in <c>ims.issue_search_documents</c>.
/// Every test isolates its issues either by a product nobody else uses (passed as p_product,
/// which then matches exactly) or by a code word nobody else writes, so result sets are exact
/// even though all tests of the class share one database (with the seed's SAMPLE-001 in it).
/// </summary>
public sealed class SearchIssuesTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private static string NewProduct() => TestData.Unique("SearchProd");

    /// <summary>A Latin token no other row contains (letters and digits: one token, not stemmed apart).</summary>
    private static string NewCode() => "zq7" + Guid.NewGuid().ToString("N")[..10];

    private Task<IReadOnlyList<long>> SearchAsync(string? query, string? product = null, int limit = 100) =>
        fixture.QueryAsync<long>(
            "SELECT issue_pk FROM ims.search_issues(@query, @product, @limit)",
            new { query, product, limit });

    private async Task<string?> ParseAsync(string? query) =>
        await fixture.ScalarAsync<string?>("SELECT ims.parse_search_query(@query)::text", new { query });

    private static void AssertSameSet(IEnumerable<long> expected, IEnumerable<long> actual) =>
        Assert.Equal(expected.Order().ToArray(), actual.Order().ToArray());

    [Fact]
    public async Task A_korean_word_followed_by_a_particle_finds_the_bare_word_and_nothing_unrelated()
    {
        var product = NewProduct();
        var timeout = await fixture.IssueAsync(title: "Batch failure", description: "배치 작업에서 타임아웃 발생", product: product);
        var unrelated = await fixture.IssueAsync(title: "Server stop", description: "메모리 부족으로 서버 중단", product: product);

        Assert.Equal([timeout], await SearchAsync("타임아웃이", product));
        Assert.Equal([timeout], await SearchAsync("타임아웃", product));
        Assert.Equal([timeout], await SearchAsync("작업에서", product));
        // Bigrams must be adjacent: "타임" and "발생" both occur, "타임발생" does not.
        Assert.Empty(await SearchAsync("타임발생", product));

        // Without the product filter: exactly the issues whose text holds the word (the seed's
        // SAMPLE-001 says "타임아웃으로"), so the unrelated one is not among them.
        var holdingTheWord = await fixture.QueryAsync<long>(
            """
            SELECT i.issue_pk FROM ims.issues i
            WHERE i.title LIKE '%타임아웃%' OR i.description LIKE '%타임아웃%'
               OR EXISTS (SELECT 1 FROM ims.issue_comments c WHERE c.issue_pk = i.issue_pk AND c.content LIKE '%타임아웃%')
               OR EXISTS (SELECT 1 FROM ims.attachments a WHERE a.issue_pk = i.issue_pk AND a.extracted_text LIKE '%타임아웃%')
            """);
        Assert.Contains(timeout, holdingTheWord);
        Assert.DoesNotContain(unrelated, holdingTheWord);
        AssertSameSet(holdingTheWord, await SearchAsync("타임아웃이", null, 1000));
    }

    [Fact]
    public async Task A_japanese_substring_is_found_inside_a_run_without_spaces()
    {
        var product = NewProduct();
        var connection = await fixture.IssueAsync(title: "データベース接続エラー", description: "夜間バッチで発生", product: product);
        await fixture.IssueAsync(title: "メモリ不足で停止", description: "再起動で回復", product: product);

        Assert.Equal([connection], await SearchAsync("接続", product));
        Assert.Equal([connection], await SearchAsync("接続エラー", product));
        Assert.Equal([connection], await SearchAsync("データベース", product));
        Assert.Empty(await SearchAsync("接続失敗", product));
    }

    [Fact]
    public async Task An_english_inflected_word_finds_its_other_forms()
    {
        var product = NewProduct();
        var reset = await fixture.IssueAsync(title: "Client error", description: "connection reset by peer", product: product);
        await fixture.IssueAsync(title: "Disk full", description: "no space left on device", product: product);

        Assert.Equal([reset], await SearchAsync("connections", product));
        Assert.Equal([reset], await SearchAsync("Connecting", product));
        Assert.Equal([reset], await SearchAsync("resets", product));
        Assert.Empty(await SearchAsync("spaces devices connections", product));
    }

    [Fact]
    public async Task Product_and_error_codes_are_found_exactly()
    {
        var product = NewProduct();
        var tpetime = await fixture.IssueAsync(title: "Batch job ended with TPETIME", product: product);
        var tpenoent = await fixture.IssueAsync(title: "Service call failed with TPENOENT", product: product);
        var svc = await fixture.IssueAsync(title: "SVC99 abend in an OFCOBOL program", product: product);

        Assert.Equal([tpetime], await SearchAsync("TPETIME", product));
        Assert.Equal([tpetime], await SearchAsync("tpetime", product));
        Assert.Equal([tpenoent], await SearchAsync("TPENOENT", product));
        Assert.Equal([svc], await SearchAsync("SVC99", product));
        Assert.Equal([svc], await SearchAsync("OFCOBOL", product));
        Assert.Empty(await SearchAsync("SVC98", product));
        Assert.Empty(await SearchAsync("TPETIME TPENOENT", product));
    }

    [Fact]
    public async Task Comment_and_attachment_text_are_searchable_and_a_deleted_comment_no_longer_matches()
    {
        var inComment = NewCode();
        var inAttachment = NewCode();
        var issue = await fixture.IssueAsync(title: "Unrelated title", description: "unrelated description");
        Assert.Empty(await SearchAsync(inComment));
        Assert.Empty(await SearchAsync(inAttachment));

        var commentId = await fixture.ScalarAsync<long>(
            "INSERT INTO ims.issue_comments (issue_pk, comment_number, author, content) VALUES (@issue, 1, 'eng', @text) RETURNING comment_id",
            new { issue, text = $"Fixed by setting {inComment} in the config" });
        var attachmentId = await fixture.ScalarAsync<long>(
            "INSERT INTO ims.attachments (issue_pk, filename, extracted_text, text_extracted) VALUES (@issue, 'trace.log', @text, true) RETURNING attachment_id",
            new { issue, text = $"stack trace ... {inAttachment} ..." });

        Assert.Equal([issue], await SearchAsync(inComment));
        Assert.Equal([issue], await SearchAsync(inAttachment));

        Assert.Equal(1, await fixture.ExecuteAsync("DELETE FROM ims.issue_comments WHERE comment_id = @commentId", new { commentId }));
        Assert.Empty(await SearchAsync(inComment));
        Assert.Equal([issue], await SearchAsync(inAttachment));

        Assert.Equal(1, await fixture.ExecuteAsync(
            "UPDATE ims.attachments SET extracted_text = 'replaced text' WHERE attachment_id = @attachmentId", new { attachmentId }));
        Assert.Empty(await SearchAsync(inAttachment));
        Assert.Equal([issue], await SearchAsync("replaced " + "unrelated"));
    }

    [Fact]
    public async Task The_product_filter_matches_a_product_family_not_a_prefix_or_another_product()
    {
        var code = NewCode();
        async Task<long> Issue(string product) => await fixture.IssueAsync(title: $"Failure {code}", product: product);
        var openFrame = await Issue("OpenFrame");
        var batch = await Issue("OpenFrame Batch");
        var osc = await Issue("openframe OSC");
        var openFrameX = await Issue("OpenFrameX");
        var tibero = await Issue("Tibero");

        AssertSameSet([openFrame, batch, osc], await SearchAsync(code, "OpenFrame"));
        AssertSameSet([openFrame, batch, osc], await SearchAsync(code, "openframe"));
        Assert.Equal([batch], await SearchAsync(code, "OpenFrame Batch"));
        Assert.Equal([openFrameX], await SearchAsync(code, "OpenFrameX"));
        Assert.Equal([tibero], await SearchAsync(code, "Tibero"));
        AssertSameSet([openFrame, batch, osc, openFrameX, tibero], await SearchAsync(code, null));
        AssertSameSet([openFrame, batch, osc, openFrameX, tibero], await SearchAsync(code, ""));
        // LIKE wildcards in the family are literal characters.
        Assert.Empty(await SearchAsync(code, "Open%"));
        Assert.Empty(await SearchAsync(code, "Open_rame"));
        Assert.Empty(await SearchAsync(code, "Frame"));
    }

    [Fact]
    public async Task A_title_hit_ranks_above_description_above_comment_above_attachment()
    {
        var code = NewCode();
        // Created in the reverse order, so issue_pk order (the tie-breaker) cannot explain the result.
        var inAttachment = await fixture.IssueAsync(title: "Fourth", description: "nothing here");
        await fixture.ExecuteAsync("INSERT INTO ims.attachments (issue_pk, filename, extracted_text) VALUES (@inAttachment, 'a.txt', @text)",
            new { inAttachment, text = $"log mentions {code}" });
        var inComment = await fixture.IssueAsync(title: "Third", description: "nothing here");
        await fixture.ExecuteAsync("INSERT INTO ims.issue_comments (issue_pk, comment_number, content) VALUES (@inComment, 1, @text)",
            new { inComment, text = $"comment mentions {code}" });
        var inDescription = await fixture.IssueAsync(title: "Second", description: $"description mentions {code}");
        var inTitle = await fixture.IssueAsync(title: $"First {code}", description: "nothing here");

        var hits = await fixture.QueryAsync<(long IssuePk, float Rank)>(
            "SELECT issue_pk, rank FROM ims.search_issues(@code)", new { code });

        Assert.Equal([inTitle, inDescription, inComment, inAttachment], hits.Select(hit => hit.IssuePk));
        Assert.True(hits[0].Rank > hits[1].Rank && hits[1].Rank > hits[2].Rank && hits[2].Rank > hits[3].Rank,
            $"ranks must strictly decrease: {string.Join(", ", hits.Select(hit => hit.Rank))}");
        Assert.All(hits, hit => Assert.True(hit.Rank > 0));
    }

    [Fact]
    public async Task The_limit_caps_the_result_and_keeps_the_best_ranked()
    {
        var code = NewCode();
        // The title hit is created first (lower issue_pk), so only its rank can put it first.
        var inTitle = await fixture.IssueAsync(title: $"Title {code}");
        var inDescription = await fixture.IssueAsync(title: "Body", description: $"mentions {code}");

        Assert.Equal([inTitle], await SearchAsync(code, null, 1));
        Assert.Equal([inTitle, inDescription], await SearchAsync(code, null, 2));
        Assert.Empty(await SearchAsync(code, null, 0));
    }

    [Fact]
    public async Task A_quoted_phrase_requires_the_word_order()
    {
        var product = NewProduct();
        var inOrder = await fixture.IssueAsync(title: "Client", description: "connection reset by peer", product: product);
        var reversed = await fixture.IssueAsync(title: "Pool", description: "reset the connection pool", product: product);

        Assert.Equal([inOrder], await SearchAsync("\"connection reset\"", product));
        AssertSameSet([inOrder, reversed], await SearchAsync("connection reset", product));
        AssertSameSet([inOrder, reversed], await SearchAsync("+connection +reset", product));
        Assert.Empty(await SearchAsync("\"reset connection\"", product));
        Assert.Equal([reversed], await SearchAsync("connection -\"connection reset\"", product));
    }

    [Fact]
    public async Task OR_matches_either_term_and_plain_words_match_all()
    {
        var product = NewProduct();
        var deadlock = await fixture.IssueAsync(title: "deadlock detected", product: product);
        var overflow = await fixture.IssueAsync(title: "stack overflow", product: product);
        var both = await fixture.IssueAsync(title: "deadlock then stack overflow", product: product);
        await fixture.IssueAsync(title: "disk full", product: product);

        AssertSameSet([deadlock, overflow, both], await SearchAsync("deadlock OR overflow", product));
        Assert.Equal([both], await SearchAsync("deadlock overflow", product));
        // "or" in lower case is an ordinary (stop) word, not the operator.
        Assert.Equal([both], await SearchAsync("deadlock or overflow", product));
    }

    [Fact]
    public async Task OR_binds_the_terms_next_to_it_and_the_other_words_still_apply()
    {
        var product = NewProduct();
        var batchTimeout = await fixture.IssueAsync(title: "batch timeout", product: product);
        var batchHang = await fixture.IssueAsync(title: "batch hang", product: product);
        await fixture.IssueAsync(title: "online hang", product: product);

        AssertSameSet([batchTimeout, batchHang], await SearchAsync("batch timeout OR hang", product));
    }

    [Fact]
    public async Task A_minus_excludes_issues_with_the_term()
    {
        var product = NewProduct();
        var deadlock = await fixture.IssueAsync(title: "deadlock detected", product: product);
        var overflow = await fixture.IssueAsync(title: "stack overflow", product: product);
        await fixture.IssueAsync(title: "deadlock then stack overflow", product: product);

        Assert.Equal([deadlock], await SearchAsync("deadlock -overflow", product));
        Assert.Equal([overflow], await SearchAsync("overflow -deadlock", product));
        Assert.Equal([deadlock], await SearchAsync("deadlock -\"stack overflow\"", product));
    }

    [Theory]
    [InlineData("deadlock OR overflow", "'deadlock' | 'overflow'")]
    [InlineData("deadlock -overflow", "'deadlock' & !'overflow'")]
    [InlineData("+deadlock overflow", "'deadlock' & 'overflow'")]
    [InlineData("\"stack overflow\"", "'stack' <-> 'overflow'")]
    [InlineData("SVC99 OFCOBOL", "'svc99' & 'ofcobol'")]
    [InlineData("OpenFrame timeout OR hang", "'openfram' & ( 'timeout' | 'hang' )")]
    [InlineData("the OR deadlock overflow", "'deadlock' & 'overflow'")]
    [InlineData("接続", "'接続'")]
    [InlineData("타임아웃이", "'타임' <-> '임아' <-> '아웃' | '타임' <-> '임아' <-> '아웃' <-> '웃이'")]
    public async Task Parse_search_query_builds_the_expected_tsquery(string query, string expected)
    {
        // Compared as tsquery values, so only the meaning counts, not the spacing of the text form.
        var equal = await fixture.ScalarAsync<bool>(
            "SELECT ims.parse_search_query(@query) = @expected::tsquery", new { query, expected });
        Assert.True(equal, $"parse_search_query({query}) = {await ParseAsync(query)}, expected {expected}");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!!")]
    [InlineData("?! ., ;: () [] {} <> @#$%^&*")]
    [InlineData("\"")]
    [InlineData("\"\"")]
    [InlineData("\"zq7unbalanced0quote")]
    [InlineData("OR")]
    [InlineData("+ -")]
    [InlineData("the of and")]
    [InlineData("'; DROP TABLE ims.issues; --")]
    [InlineData("') OR ''='")]
    [InlineData(":* & | ! <-> \\ \\\\")]
    public async Task Degenerate_or_hostile_input_returns_no_rows_without_error(string? query)
    {
        var issuesBefore = await fixture.ScalarAsync<long>("SELECT count(*) FROM ims.issues");

        Assert.Empty(await SearchAsync(query));
        Assert.Empty(await SearchAsync(query, "OpenFrame"));

        Assert.NotNull(await fixture.ScalarAsync<string?>("SELECT to_regclass('ims.issues')::text"));
        Assert.Equal(issuesBefore, await fixture.ScalarAsync<long>("SELECT count(*) FROM ims.issues"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("\"")]
    [InlineData("OR")]
    [InlineData("the")]
    [InlineData("-deadlock")]
    [InlineData("-deadlock -\"stack overflow\"")]
    public async Task Parse_search_query_is_null_when_nothing_searchable_remains(string? query) =>
        Assert.Null(await ParseAsync(query));

    [Fact]
    public async Task The_application_roles_can_search()
    {
        var code = NewCode();
        var issue = await fixture.IssueAsync(title: $"Role search {code}");
        var user = await fixture.UserAsync();

        var asUser = await fixture.AsRoleAsync(Roles.User, user, async connection =>
            (await connection.QueryAsync<long>("SELECT issue_pk FROM ims.search_issues(@code)", new { code })).AsList());
        var asReadOnly = await fixture.AsRoleAsync(Roles.ReadOnly, null, async connection =>
            (await connection.QueryAsync<long>("SELECT issue_pk FROM ims.search_issues(@code)", new { code })).AsList());
        var asUserWithoutId = await fixture.AsRoleAsync(Roles.User, null, async connection =>
            (await connection.QueryAsync<long>("SELECT issue_pk FROM ims.search_issues(@code)", new { code })).AsList());

        Assert.Equal([issue], asUser);
        Assert.Equal([issue], asReadOnly);
        Assert.Equal([issue], asUserWithoutId);   // issues are shared: no user needed to search them
    }
}
