namespace ImsCrawler.Api.Monitoring;

public sealed record DatabaseInfo(
    string Database, long SizeBytes, string Size, string Version, string ServerVersion, DateTime StartedAt,
    double UptimeSeconds, int Connections, int MaxConnections);

/// <param name="Kind"><c>table</c>, <c>partitioned table</c> or <c>materialized view</c>.</param>
/// <param name="RowEstimate">pg_class.reltuples (as of the last VACUUM/ANALYZE; -1 never analyzed).</param>
/// <param name="LiveRows">pg_stat_user_tables.n_live_tup (statistics, not an exact count).</param>
public sealed record TableInfo(
    string Table, string Kind, long RowEstimate, long? LiveRows, long? DeadRows, long TotalBytes, long TableBytes,
    long IndexBytes, string TotalSize, long? SequentialScans, long? IndexScans, DateTime? LastVacuum,
    DateTime? LastAutovacuum, DateTime? LastAnalyze, DateTime? LastAutoanalyze);

public sealed record IndexInfo(
    string Index, string Table, bool IsUnique, long Scans, long TuplesRead, long TuplesFetched, long SizeBytes, string Size,
    string Definition);

public sealed record ConnectionInfo(
    int Pid, string? Username, string? ApplicationName, string? ClientAddress, string? State, DateTime? BackendStart,
    DateTime? TransactionStart, DateTime? QueryStart, string? WaitEventType, string? WaitEvent, string? BackendType,
    string? Query);

public sealed record SlowQuery(
    string Query, long Calls, double TotalMs, double MeanMs, double MaxMs, long Rows, long SharedBlocksHit, long SharedBlocksRead);

/// <param name="Available">Whether pg_stat_statements is installed in this database and loaded by the server.</param>
/// <param name="Message">When not available: how to enable it.</param>
public sealed record SlowQueriesResponse(bool Available, string? Message, IReadOnlyList<SlowQuery> Items);

/// <param name="Limit">1–100, default 20.</param>
public sealed record SlowQueriesRequest(int? Limit);

public sealed record PolicyInfo(
    string Table, string Policy, string Permissive, string[] Roles, string Command, string? Using, string? WithCheck);

public sealed record MigrationInfo(string ScriptName, string Sha256, DateTime AppliedAt, int DurationMs);
