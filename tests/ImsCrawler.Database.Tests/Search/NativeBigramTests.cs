using System.Text;
using Dapper;
using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Search;

/// <summary>
/// sql/18: the CJK bigram vector (and the CJK-blanked text for the English parser) comes from the optional C extension ims_cjk_bigrams where the server has it and from
/// its SQL definition otherwise; both give the same tsvector, so documents never depend on which one built them.
/// CI installs the extension (.ci/run) and sets IMS_REQUIRE_NATIVE_BIGRAMS=1, so both paths run there.
/// </summary>
public sealed class NativeBigramTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private static bool NativeRequired => Environment.GetEnvironmentVariable("IMS_REQUIRE_NATIVE_BIGRAMS") == "1";

    [Fact]
    public async Task The_migration_uses_the_extension_exactly_when_the_server_has_it()
    {
        var installed = await ExtensionInstalledOnServerAsync();
        var body = await BigramVectorBodyAsync();
        var documentBody = await FunctionBodyAsync("ims.text_search_vector(text, \"char\")");

        Assert.True(installed || !NativeRequired, "IMS_REQUIRE_NATIVE_BIGRAMS=1 but ims_cjk_bigrams is not installed on the server");
        Assert.Equal(installed, body.Contains("cjk_bigram_vector_native", StringComparison.Ordinal));
        Assert.Equal(!installed, body.Contains("cjk_bigram_vector_portable", StringComparison.Ordinal));
        Assert.Equal(installed, documentBody.Contains("cjk_runs_to_spaces_native", StringComparison.Ordinal));
        Assert.Equal(!installed, documentBody.Contains("text_search_vector_portable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Where_the_extension_is_installed_it_gives_the_portable_results_for_every_boundary_character_and_size()
    {
        if (!await ExtensionInstalledOnServerAsync())
        {
            Assert.False(NativeRequired, "IMS_REQUIRE_NATIVE_BIGRAMS=1 but ims_cjk_bigrams is not installed on the server");
            Assert.False(await fixture.ScalarAsync<bool>("SELECT ims.use_native_cjk_bigrams()"));
            return;
        }
        var texts = Corpus().ToArray();

        var differing = await fixture.QueryAsync<int>("""
            SELECT n::int FROM unnest(@texts) WITH ORDINALITY AS t(text, n)
            WHERE ims.cjk_bigram_vector_native(t.text) IS DISTINCT FROM ims.cjk_bigram_vector_portable(t.text)
               OR ims.cjk_runs_to_spaces_native(t.text) IS DISTINCT FROM regexp_replace(t.text, ims.cjk_run_pattern(), ' ', 'g')
            """, new { texts });

        Assert.True(differing.Count == 0, $"{differing.Count} of {texts.Length} texts differ, e.g. #{differing.FirstOrDefault()}");
        Assert.Equal("", await fixture.ScalarAsync<string>("SELECT ims.cjk_bigram_vector(NULL)::text"));
    }

    [Fact]
    public async Task Switching_to_the_portable_definition_keeps_every_document_and_switching_back_finds_the_extension()
    {
        var issuePk = await fixture.IssueAsync("배치 작업이 TPETIME 타임아웃으로 종료", "夜間バッチがタイムアウトで異常終了します 가 x 日");
        var before = await DocumentAsync(issuePk);
        var installed = await ExtensionInstalledOnServerAsync();
        try
        {
            Assert.False(await fixture.ScalarAsync<bool>("SELECT ims.use_native_cjk_bigrams(false)"));

            Assert.Contains("cjk_bigram_vector_portable", await BigramVectorBodyAsync());
            Assert.DoesNotContain("_native", await FunctionBodyAsync("ims.text_search_vector(text, \"char\")"));
            Assert.False(await fixture.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'ims_cjk_bigrams')"));
            await fixture.ExecuteAsync("SELECT ims.refresh_issue_search_documents(ARRAY[@issuePk]::bigint[])", new { issuePk });
            Assert.Equal(before, await DocumentAsync(issuePk));
            Assert.True(await fixture.ScalarAsync<bool>(
                "SELECT document @@ ims.parse_search_query('타임아웃') FROM ims.issue_search_documents WHERE issue_pk = @issuePk", new { issuePk }));
        }
        finally
        {
            Assert.Equal(installed, await fixture.ScalarAsync<bool>("SELECT ims.use_native_cjk_bigrams()"));
        }
        Assert.Equal(installed, (await BigramVectorBodyAsync()).Contains("cjk_bigram_vector_native", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_switch_says_which_build_is_in_use()
    {
        var installed = await ExtensionInstalledOnServerAsync();
        await using var connection = await fixture.OpenAsync();
        var notices = new List<string>();
        connection.Notice += (_, e) => notices.Add(e.Notice.MessageText);

        await connection.ExecuteScalarAsync<bool>("SELECT ims.use_native_cjk_bigrams()");

        Assert.Contains(installed ? "CJK bigrams built by the ims_cjk_bigrams extension (C)" : "CJK bigrams built in SQL",
            string.Join('\n', notices));
    }

    [Fact]
    public async Task An_extension_that_cannot_be_created_leaves_the_portable_definitions_and_a_warning()
    {
        var installed = await ExtensionInstalledOnServerAsync();
        try
        {
            await fixture.ScalarAsync<bool>("SELECT ims.use_native_cjk_bigrams(false)");
            // An object in the extension's way makes CREATE EXTENSION fail, as a non-superuser or a library of another
            // server version would.
            await fixture.ExecuteAsync("CREATE FUNCTION ims.cjk_runs_to_spaces_native(text) RETURNS text LANGUAGE sql AS 'SELECT $1'");

            await using var connection = await fixture.OpenAsync();
            var warnings = new List<string>();
            connection.Notice += (_, e) => warnings.Add(e.Notice.MessageText);
            var native = await connection.ExecuteScalarAsync<bool>("SELECT ims.use_native_cjk_bigrams()");

            Assert.False(native);
            Assert.Contains("cjk_bigram_vector_portable", await BigramVectorBodyAsync());
            Assert.Equal(installed, warnings.Any(w => w.Contains("could not be created", StringComparison.Ordinal)));
        }
        finally
        {
            await fixture.ExecuteAsync("DROP FUNCTION IF EXISTS ims.cjk_runs_to_spaces_native(text)");
            Assert.Equal(installed, await fixture.ScalarAsync<bool>("SELECT ims.use_native_cjk_bigrams()"));
        }
    }

    [Theory]
    [InlineData(Roles.User)]
    [InlineData(Roles.ReadOnly)]
    [InlineData(Roles.Admin)]
    public async Task The_roles_granted_the_document_functions_can_still_call_them(string role)
    {
        const string text = "배치 TPETIME 타임아웃 夜間バッチ connections";
        var owner = await fixture.ScalarAsync<string>("SELECT ims.text_search_vector(@text, 'B')::text", new { text });

        var asRole = await fixture.AsRoleAsync(role, null, connection =>
            connection.ExecuteScalarAsync<string>("SELECT ims.text_search_vector(@text, 'B')::text || ims.cjk_bigram_vector(@text)::text", new { text }));

        Assert.StartsWith(owner, asRole);
        Assert.Contains("'타임'", owner);
    }

    private Task<bool> ExtensionInstalledOnServerAsync() =>
        fixture.ScalarAsync<bool>("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'ims_cjk_bigrams')");

    private Task<string> BigramVectorBodyAsync() => FunctionBodyAsync("ims.cjk_bigram_vector(text)");

    private Task<string> FunctionBodyAsync(string signature) =>
        fixture.ScalarAsync<string>("SELECT prosrc FROM pg_proc WHERE oid = @signature::regprocedure", new { signature });

    private Task<string> DocumentAsync(long issuePk) =>
        fixture.ScalarAsync<string>("SELECT document::text FROM ims.issue_search_documents WHERE issue_pk = @issuePk", new { issuePk });

    /// <summary>
    /// Every character at and beside each edge of the CJK ranges, in runs of one, two and many, between Latin text,
    /// astral characters and punctuation; a lexeme repeated past tsvector's 256 positions; positions past 16,383.
    /// </summary>
    private static IEnumerable<string> Corpus()
    {
        int[] edges = [0x1100, 0x11FF, 0x3005, 0x3040, 0x30FF, 0x3130, 0x318F, 0x3400, 0x4DBF, 0x4E00, 0x9FFF, 0xAC00, 0xD7AF, 0xF900, 0xFAFF, 0xFF66, 0xFF9F];
        var characters = edges.SelectMany(edge => new[] { edge - 1, edge, edge + 1 }).Distinct().Select(c => ((char)c).ToString())
            .Concat(["가", "ー", "・", "😀", "\U00020000", "a", "1", " ", "-", "'", "\\"]).ToArray();
        yield return "";
        yield return "only Latin words and SVC99";
        foreach (var a in characters)
        {
            yield return a;
            yield return $"x{a}y";
            foreach (var b in characters)
                yield return a + b + "가" + b + a;
        }
        var random = new Random(18);
        for (var i = 0; i < 200; i++)
        {
            var text = new StringBuilder();
            for (var j = random.Next(1, 300); j > 0; j--)
                text.Append(characters[random.Next(characters.Length)]);
            yield return text.ToString();
        }
        yield return string.Concat(Enumerable.Repeat("타임 ", 400));
        yield return string.Concat(Enumerable.Range(0, 40_000).Select(i => (char)(0xAC00 + i * 7919 % 11172)));
        yield return string.Concat(Enumerable.Repeat("夜間バッチ TPETIME 가 ", 3_000));
    }
}
