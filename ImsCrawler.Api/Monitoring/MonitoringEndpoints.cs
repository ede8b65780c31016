using Dapper;
using System.Security.Claims;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Search;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace ImsCrawler.Api.Monitoring;

/// <summary>
/// Database health for administrators: size, version, uptime, tables, indexes, connections, slow queries,
/// RLS policies and the migration journal. They run as the calling administrator (ims_admin), like every
/// other request: the Api's own login sees nothing.
/// </summary>
public static class MonitoringEndpoints
{
    public static RouteGroupBuilder MapMonitoringApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/admin").WithTags("Monitoring").RequireAuthorization(ImsPolicies.Admin);
        api.MapGet("/database", GetDatabaseInfo).WithName(nameof(GetDatabaseInfo))
            .WithSummary("Database size, server version and uptime");
        api.MapGet("/tables", ListTables).WithName(nameof(ListTables))
            .WithSummary("Sizes, row estimates and maintenance times of the ims tables and materialized views");
        api.MapGet("/indexes", ListIndexes).WithName(nameof(ListIndexes))
            .WithSummary("Usage and size of the ims indexes");
        api.MapGet("/connections", ListConnections).WithName(nameof(ListConnections))
            .WithSummary("Connections to this database (pg_stat_activity)");
        api.MapGet("/slow-queries", ListSlowQueries).WithName(nameof(ListSlowQueries))
            .WithSummary("Slowest statements by mean time (pg_stat_statements)")
            .WithDescription("When pg_stat_statements is not installed or not loaded, answers 200 with `available: false` and how to enable it.")
            .ProducesValidationProblem();
        api.MapGet("/policies", ListPolicies).WithName(nameof(ListPolicies))
            .WithSummary("Row-level security policies of the ims schema");
        api.MapGet("/migrations", ListMigrations).WithName(nameof(ListMigrations))
            .WithSummary("Applied migration scripts (migrator.applied_scripts)");
        return api;
    }

    public static async Task<Ok<DatabaseInfo>> GetDatabaseInfo(UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await AsCallerAsync(database, user, async (connection, token) => await connection.QuerySingleAsync<DatabaseInfo>(new CommandDefinition("""
            select current_database()::text as Database, pg_database_size(current_database()) as SizeBytes,
                   pg_size_pretty(pg_database_size(current_database())) as Size, version() as Version,
                   current_setting('server_version') as ServerVersion, pg_postmaster_start_time() as StartedAt,
                   extract(epoch from now() - pg_postmaster_start_time())::float8 as UptimeSeconds,
                   (select count(*) from pg_stat_activity where datname = current_database())::int as Connections,
                   current_setting('max_connections')::int as MaxConnections
            """, cancellationToken: token)), cancellationToken));

    public static async Task<Ok<IReadOnlyList<TableInfo>>> ListTables(UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await AsCallerAsync(database, user, async (connection, token) => (IReadOnlyList<TableInfo>)(await connection.QueryAsync<TableInfo>(new CommandDefinition("""
            select c.relname::text as "Table",
                   case c.relkind when 'r' then 'table' when 'p' then 'partitioned table' else 'materialized view' end as Kind,
                   c.reltuples::bigint as RowEstimate, s.n_live_tup as LiveRows, s.n_dead_tup as DeadRows,
                   pg_total_relation_size(c.oid) as TotalBytes, pg_relation_size(c.oid) as TableBytes,
                   pg_indexes_size(c.oid) as IndexBytes, pg_size_pretty(pg_total_relation_size(c.oid)) as TotalSize,
                   s.seq_scan as SequentialScans, s.idx_scan as IndexScans, s.last_vacuum as LastVacuum,
                   s.last_autovacuum as LastAutovacuum, s.last_analyze as LastAnalyze, s.last_autoanalyze as LastAutoanalyze
            from pg_class c
            join pg_namespace n on n.oid = c.relnamespace
            left join pg_stat_all_tables s on s.relid = c.oid
            where n.nspname = 'ims' and c.relkind in ('r', 'p', 'm')
            order by pg_total_relation_size(c.oid) desc, c.relname
            """, cancellationToken: token))).AsList(), cancellationToken));

    public static async Task<Ok<IReadOnlyList<IndexInfo>>> ListIndexes(UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await AsCallerAsync(database, user, async (connection, token) => (IReadOnlyList<IndexInfo>)(await connection.QueryAsync<IndexInfo>(new CommandDefinition("""
            select s.indexrelname::text as "Index", s.relname::text as "Table", i.indisunique as IsUnique,
                   s.idx_scan as Scans, s.idx_tup_read as TuplesRead, s.idx_tup_fetch as TuplesFetched,
                   pg_relation_size(s.indexrelid) as SizeBytes, pg_size_pretty(pg_relation_size(s.indexrelid)) as Size,
                   pg_get_indexdef(s.indexrelid) as Definition
            from pg_stat_all_indexes s
            join pg_index i on i.indexrelid = s.indexrelid
            where s.schemaname = 'ims'
            order by s.relname, s.indexrelname
            """, cancellationToken: token))).AsList(), cancellationToken));

    public static async Task<Ok<IReadOnlyList<ConnectionInfo>>> ListConnections(UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        TypedResults.Ok(await AsCallerAsync(database, user, async (connection, token) => (IReadOnlyList<ConnectionInfo>)(await connection.QueryAsync<ConnectionInfo>(new CommandDefinition("""
            select pid as Pid, usename::text as Username, application_name as ApplicationName, host(client_addr) as ClientAddress,
                   state as State, backend_start as BackendStart, xact_start as TransactionStart, query_start as QueryStart,
                   wait_event_type as WaitEventType, wait_event as WaitEvent, backend_type as BackendType,
                   left(query, 2000) as Query
            from pg_stat_activity
            where datname = current_database()
            order by backend_start, pid
            """, cancellationToken: token))).AsList(), cancellationToken));

    public static async Task<Results<Ok<SlowQueriesResponse>, ValidationProblem>> ListSlowQueries(
        [AsParameters] SlowQueriesRequest request, UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var limit = QueryParameters.Limit(errors, request.Limit, 20, 100);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        const string howTo = "Set shared_preload_libraries = 'pg_stat_statements' in postgresql.conf, restart the server, "
                             + "then run CREATE EXTENSION pg_stat_statements; in this database (as a superuser or the database owner).";
        return await AsCallerAsync(database, user, async Task<Results<Ok<SlowQueriesResponse>, ValidationProblem>> (connection, token) =>
        {
            var schema = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
                "select n.nspname::text from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_stat_statements'",
                cancellationToken: token));
            if (schema is null)
                return TypedResults.Ok(new SlowQueriesResponse(false, "The pg_stat_statements extension is not installed in this database. " + howTo, []));
            try
            {
                var rows = await connection.QueryAsync<SlowQuery>(new CommandDefinition($"""
                    select left(s.query, 4000) as Query, s.calls as Calls, s.total_exec_time as TotalMs, s.mean_exec_time as MeanMs,
                           s.max_exec_time as MaxMs, s.rows as Rows, s.shared_blks_hit as SharedBlocksHit,
                           s.shared_blks_read as SharedBlocksRead
                    from "{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}".pg_stat_statements s
                    where s.dbid = (select oid from pg_database where datname = current_database())
                    order by s.mean_exec_time desc
                    limit @limit
                    """, new { limit }, cancellationToken: token));
                return TypedResults.Ok(new SlowQueriesResponse(true, null, rows.AsList()));
            }
            catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.ObjectNotInPrerequisiteState
                                                          or PostgresErrorCodes.InsufficientPrivilege)
            {
                return TypedResults.Ok(new SlowQueriesResponse(false, $"pg_stat_statements cannot be read: {exception.MessageText} {howTo}", []));
            }
        }, cancellationToken);
    }

    public static async Task<Ok<IReadOnlyList<PolicyInfo>>> ListPolicies(UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var rows = await AsCallerAsync(database, user, (connection, token) => connection.QueryAsync<PolicyRow>(new CommandDefinition("""
            select tablename::text as "Table", policyname::text as Policy, permissive as Permissive, roles::text[] as Roles,
                   cmd as Command, qual as Using, with_check as WithCheck
            from pg_policies
            where schemaname = 'ims'
            order by tablename, policyname
            """, cancellationToken: token)), cancellationToken);
        return TypedResults.Ok((IReadOnlyList<PolicyInfo>)rows.Select(row => row.ToInfo()).ToList());
    }

    public static async Task<Ok<IReadOnlyList<MigrationInfo>>> ListMigrations(
        UserDatabase database, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        // ims_admin may read the journal (sql/17); it does not exist before the first migration.
        TypedResults.Ok(await AsCallerAsync(database, user, async (connection, token) =>
            (IReadOnlyList<MigrationInfo>)(await connection.QueryAsync<MigrationInfo>(new CommandDefinition("""
                select script_name as ScriptName, sha256::text as Sha256, applied_at as AppliedAt, duration_ms as DurationMs
                from migrator.applied_scripts
                order by script_name
                """, cancellationToken: token))).AsList(), cancellationToken));

    // As the calling administrator (ims_admin, which holds pg_monitor where the server allowed it),
    // never as the Api's own login, which may read nothing.
    private static Task<T> AsCallerAsync<T>(UserDatabase database, ClaimsPrincipal user,
        Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        database.RunAsync(user.GetDatabaseUser(), (connection, _, token) => read(connection, token), cancellationToken);

    private sealed class PolicyRow
    {
        public string Table { get; set; } = "";
        public string Policy { get; set; } = "";
        public string Permissive { get; set; } = "";
        public string[] Roles { get; set; } = [];
        public string Command { get; set; } = "";
        public string? Using { get; set; }
        public string? WithCheck { get; set; }

        public PolicyInfo ToInfo() => new(Table, Policy, Permissive, Roles, Command, Using, WithCheck);
    }
}
