using ImsCrawler.Database.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Database.Tests.Security;

/// <summary>Grants, SECURITY DEFINER hygiene and RLS flags, read from the catalogs.</summary>
public sealed class CatalogSecurityTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Schema_ims_has_functions_to_check()
    {
        var functions = await fixture.QueryAsync<string>(
            "SELECT p.oid::regprocedure::text FROM pg_proc p WHERE p.pronamespace = 'ims'::regnamespace");
        Assert.Contains("ims.search_issues(text,character varying,integer)", functions);
        Assert.Contains("ims.set_current_user(integer)", functions);
        Assert.Contains("ims.refresh_materialized_views()", functions);
        Assert.True(functions.Count >= 20, $"only {functions.Count} functions in ims");
    }

    [Fact]
    public async Task No_function_in_ims_grants_execute_to_public_in_its_acl()
    {
        // proacl NULL means the default privileges: EXECUTE for PUBLIC.
        var open = await fixture.QueryAsync<string>(
            """
            SELECT p.oid::regprocedure::text
            FROM pg_proc p
            WHERE p.pronamespace = 'ims'::regnamespace
              AND (p.proacl IS NULL
                   OR EXISTS (SELECT 1 FROM aclexplode(p.proacl) AS acl
                              WHERE acl.grantee = 0 AND acl.privilege_type = 'EXECUTE'))
            ORDER BY 1
            """);
        Assert.Empty(open);
    }

    [Fact]
    public async Task Public_has_no_execute_privilege_on_any_function_in_ims()
    {
        var executable = await fixture.QueryAsync<string>(
            """
            SELECT p.oid::regprocedure::text
            FROM pg_proc p
            WHERE p.pronamespace = 'ims'::regnamespace
              AND has_function_privilege('public', p.oid, 'EXECUTE')
            ORDER BY 1
            """);
        Assert.Empty(executable);
    }

    [Fact]
    public async Task Functions_made_later_by_the_owner_are_not_executable_by_public_either()
    {
        await using var connection = await fixture.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var create = new Npgsql.NpgsqlCommand(
            "CREATE FUNCTION ims.zz_probe() RETURNS int LANGUAGE sql AS 'SELECT 1'", connection, transaction))
            await create.ExecuteNonQueryAsync();
        await using var check = new Npgsql.NpgsqlCommand(
            "SELECT has_function_privilege('public', 'ims.zz_probe()'::regprocedure, 'EXECUTE')", connection, transaction);

        // ALTER DEFAULT PRIVILEGES in 06 applies to objects the role running the scripts creates.
        Assert.False((bool)(await check.ExecuteScalarAsync())!);
        await transaction.RollbackAsync();
    }

    [Fact]
    public async Task Public_has_no_privilege_on_the_schema_or_its_relations()
    {
        Assert.False(await fixture.ScalarAsync<bool>("SELECT has_schema_privilege('public', 'ims', 'USAGE')"));
        Assert.False(await fixture.ScalarAsync<bool>("SELECT has_schema_privilege('public', 'ims', 'CREATE')"));
        var granted = await fixture.QueryAsync<string>(
            """
            SELECT c.oid::regclass::text || ' ' || acl.privilege_type
            FROM pg_class c, aclexplode(c.relacl) AS acl
            WHERE c.relnamespace = 'ims'::regnamespace AND acl.grantee = 0
            ORDER BY 1
            """);
        Assert.Empty(granted);
    }

    [Fact]
    public async Task Every_security_definer_function_pins_a_safe_search_path()
    {
        var definers = await fixture.QueryAsync<(string Function, string? SearchPath)>(
            """
            SELECT p.oid::regprocedure::text,
                   (SELECT substr(setting, length('search_path=') + 1)
                    FROM unnest(p.proconfig) AS setting WHERE setting LIKE 'search_path=%')
            FROM pg_proc p
            WHERE p.pronamespace = 'ims'::regnamespace AND p.prosecdef
            ORDER BY 1
            """);

        Assert.NotEmpty(definers);   // the search-document triggers and the MV refresh are definers
        Assert.Contains(definers, definer => definer.Function == "ims.refresh_materialized_views()");
        Assert.All(definers, definer =>
        {
            Assert.False(definer.SearchPath is null, $"{definer.Function} is SECURITY DEFINER without SET search_path");
            var schemas = definer.SearchPath!.Split(',', StringSplitOptions.TrimEntries);
            // No schema others could create objects in; pg_temp named explicitly and last
            // (left out, it would be searched first).
            Assert.DoesNotContain("public", schemas);
            Assert.DoesNotContain("\"$user\"", schemas);
            Assert.DoesNotContain("$user", schemas);
            Assert.Equal("pg_temp", schemas[^1]);
        });
    }

    [Fact]
    public async Task Set_current_user_is_not_a_security_definer()
    {
        Assert.False(await fixture.ScalarAsync<bool>(
            "SELECT prosecdef FROM pg_proc WHERE oid = 'ims.set_current_user(integer)'::regprocedure"));
    }

    [Fact]
    public async Task Row_level_security_is_enabled_and_forced_on_exactly_the_per_user_tables()
    {
        var protectedTables = await fixture.QueryAsync<string>(
            """
            SELECT c.relname::text FROM pg_class c
            WHERE c.relnamespace = 'ims'::regnamespace AND c.relkind = 'r'
              AND c.relrowsecurity AND c.relforcerowsecurity
            ORDER BY 1
            """);
        // api_keys (08) and user_issues (13) belong to one user too; their policies are tested with
        // the API and in Functions/UserIssuesTests.
        var expected = SecurityData.PerUserTables.Keys.Append("api_keys").Append("user_issues").Order(StringComparer.Ordinal);
        Assert.Equal(expected, protectedTables);
    }

    [Fact]
    public async Task Every_regular_view_runs_with_the_callers_rights()
    {
        var definerViews = await fixture.QueryAsync<string>(
            """
            SELECT c.relname::text FROM pg_class c
            WHERE c.relnamespace = 'ims'::regnamespace AND c.relkind = 'v'
              AND NOT coalesce('security_invoker=true' = ANY (c.reloptions), false)
            ORDER BY 1
            """);
        Assert.Empty(definerViews);
        var views = await fixture.QueryAsync<string>(
            "SELECT relname::text FROM pg_class WHERE relnamespace = 'ims'::regnamespace AND relkind = 'v'");
        Assert.Subset(views.ToHashSet(),
            new HashSet<string> { "v_user_dashboard", "v_session_detail", "v_issue_search", "v_recent_activity", "v_product_stats" });
    }
}
