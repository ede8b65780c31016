using ImsCrawler.Api.Data;
using Npgsql;

namespace ImsCrawler.Api.Monitoring;

/// <summary>
/// The SQL of database monitoring, run as the calling administrator (ims_admin, which holds pg_monitor where the server
/// allowed it), never as the Api's own login, which may read nothing.
/// </summary>
public static class MonitoringQueries
{
    private const string DatabaseSql = """
        select current_database()::text as database, pg_database_size(current_database()) as size_bytes,
               pg_size_pretty(pg_database_size(current_database())) as size, version() as version,
               current_setting('server_version') as server_version, pg_postmaster_start_time() as started_at,
               extract(epoch from now() - pg_postmaster_start_time())::float8 as uptime_seconds,
               (select count(*) from pg_stat_activity where datname = current_database())::int as connections,
               current_setting('max_connections')::int as max_connections
        """;

    private const string TablesSql = """
        select c.relname::text as "table",
               case c.relkind when 'r' then 'table' when 'p' then 'partitioned table' else 'materialized view' end as kind,
               c.reltuples::bigint as row_estimate, s.n_live_tup as live_rows, s.n_dead_tup as dead_rows,
               pg_total_relation_size(c.oid) as total_bytes, pg_relation_size(c.oid) as table_bytes,
               pg_indexes_size(c.oid) as index_bytes, pg_size_pretty(pg_total_relation_size(c.oid)) as total_size,
               s.seq_scan as sequential_scans, s.idx_scan as index_scans, s.last_vacuum, s.last_autovacuum, s.last_analyze,
               s.last_autoanalyze
        from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        left join pg_stat_all_tables s on s.relid = c.oid
        where n.nspname = 'ims' and c.relkind in ('r', 'p', 'm')
        order by pg_total_relation_size(c.oid) desc, c.relname
        """;

    private const string IndexesSql = """
        select s.indexrelname::text as "index", s.relname::text as "table", i.indisunique as is_unique,
               s.idx_scan as scans, s.idx_tup_read as tuples_read, s.idx_tup_fetch as tuples_fetched,
               pg_relation_size(s.indexrelid) as size_bytes, pg_size_pretty(pg_relation_size(s.indexrelid)) as size,
               pg_get_indexdef(s.indexrelid) as definition
        from pg_stat_all_indexes s
        join pg_index i on i.indexrelid = s.indexrelid
        where s.schemaname = 'ims'
        order by s.relname, s.indexrelname
        """;

    private const string ConnectionsSql = """
        select pid, usename::text as username, application_name, host(client_addr) as client_address, state, backend_start,
               xact_start as transaction_start, query_start, wait_event_type, wait_event, backend_type, left(query, 2000) as query
        from pg_stat_activity
        where datname = current_database()
        order by backend_start, pid
        """;

    private const string StatementsSchemaSql = """
        select n.nspname::text from pg_extension e join pg_namespace n on n.oid = e.extnamespace
        where e.extname = 'pg_stat_statements'
        """;

    private const string PoliciesSql = """
        select tablename::text as "table", policyname::text as policy, permissive, roles::text[] as roles, cmd as command,
               qual as using, with_check
        from pg_policies
        where schemaname = 'ims'
        order by tablename, policyname
        """;

    // ims_admin may read the journal (sql/17); it does not exist before the first migration.
    private const string MigrationsSql = """
        select script_name, sha256::text, applied_at, duration_ms
        from migrator.applied_scripts
        order by script_name
        """;

    public static Task<DatabaseInfo> GetDatabaseInfoAsync(this UserSession session) => session.QuerySingleAsync<DatabaseInfo>(DatabaseSql);

    public static Task<IReadOnlyList<TableInfo>> ListTablesAsync(this UserSession session) => session.QueryAsync<TableInfo>(TablesSql);

    public static Task<IReadOnlyList<IndexInfo>> ListIndexesAsync(this UserSession session) => session.QueryAsync<IndexInfo>(IndexesSql);

    public static Task<IReadOnlyList<ConnectionInfo>> ListConnectionsAsync(this UserSession session) =>
        session.QueryAsync<ConnectionInfo>(ConnectionsSql);

    public static Task<IReadOnlyList<PolicyInfo>> ListPoliciesAsync(this UserSession session) => session.QueryAsync<PolicyInfo>(PoliciesSql);

    public static Task<IReadOnlyList<MigrationInfo>> ListMigrationsAsync(this UserSession session) =>
        session.QueryAsync<MigrationInfo>(MigrationsSql);

    /// <summary>
    /// The slowest statements of this database by mean time from pg_stat_statements; null when the extension is not
    /// installed here, and the reason when it is installed but cannot be read (not loaded, or not allowed).
    /// </summary>
    public static async Task<(IReadOnlyList<SlowQuery>? Statements, string? Unreadable)> ListSlowQueriesAsync(this UserSession session,
        int limit)
    {
        if (await session.ScalarAsync<string?>(StatementsSchemaSql) is not { } schema)
            return (null, null);
        try
        {
            return (await session.QueryAsync<SlowQuery>($"""
                select left(s.query, 4000) as query, s.calls, s.total_exec_time as total_ms, s.mean_exec_time as mean_ms,
                       s.max_exec_time as max_ms, s.rows, s.shared_blks_hit as shared_blocks_hit,
                       s.shared_blks_read as shared_blocks_read
                from "{schema.Replace("\"", "\"\"", StringComparison.Ordinal)}".pg_stat_statements s
                where s.dbid = (select oid from pg_database where datname = current_database())
                order by s.mean_exec_time desc
                limit @limit
                """, new { limit }), null);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.ObjectNotInPrerequisiteState
                                                      or PostgresErrorCodes.InsufficientPrivilege)
        {
            return ([], exception.MessageText);
        }
    }
}
