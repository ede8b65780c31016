using Dapper;
using ImsCrawler.Api.Data;
using ImsCrawler.Api.Identity;
using ImsCrawler.Api.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ImsCrawler.Api.Issues;

/// <summary>
/// Issues are shared by all users: any role reads any issue. What hangs off an issue per user — the
/// sessions that crawled it and the attachment rows those sessions downloaded — stays under row-level
/// security, so a user sees its own sessions (admins and readonly users see all).
/// </summary>
public static class IssuesEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static RouteGroupBuilder MapIssuesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/issues").WithTags("Issues").RequireAuthorization(ImsPolicies.Reader);
        api.MapGet("/", ListIssues).WithName(nameof(ListIssues))
            .WithSummary("List issues with filters, newest first")
            .WithDescription("Filters: product family, status, priority, modified from/to. Keyset-paged: pass `nextCursor` back as `cursor`.")
            .ProducesValidationProblem();
        api.MapGet("/{issueId}", GetIssue).WithName(nameof(GetIssue))
            .WithSummary("One issue with its comments, history, attachments and the caller's sessions that crawled it")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/{issueId}/similar", GetSimilarIssues).WithName(nameof(GetSimilarIssues))
            .WithSummary("Issues like this one: those sharing its most distinctive title and description terms, best first")
            .WithDescription("""
                Terms of the issue's title and description are weighed by how rare they are among all issues (doubled in
                the title); issues sharing the heaviest terms come first, scored by the weights they share (doubled in
                their own title) as a share of the best possible score (`rank`, 0–1). The issue itself is excluded.
                `limit` 1–50, default 10. Same hit shape as search.
                """)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesValidationProblem();
        return api;
    }

    public static async Task<Results<Ok<IssuePage>, ValidationProblem>> ListIssues(
        [AsParameters] ListIssuesRequest request, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var product = QueryParameters.Text(errors, "product", request.Product, 100);
        var status = QueryParameters.Text(errors, "status", request.Status, 50);
        var priority = QueryParameters.Text(errors, "priority", request.Priority, 20);
        var from = QueryParameters.Instant(errors, "modifiedFrom", request.ModifiedFrom);
        var to = QueryParameters.Instant(errors, "modifiedTo", request.ModifiedTo);
        QueryParameters.Range(errors, from, to, fromField: "modifiedFrom", toField: "modifiedTo");
        var limit = QueryParameters.Limit(errors, request.Limit, DefaultLimit, MaxLimit);
        var fingerprint = string.Join('\u001f', "issues", product, status, priority, from?.ToString("O"), to?.ToString("O"));
        long? beforePk = null;
        if (request.Cursor is { Length: > 0 } cursor)
        {
            if (Cursors.TryDecodeId(cursor, fingerprint, out var pk))
                beforePk = pk;
            else
                errors.Add("cursor", "cursor is not a nextCursor of this listing (same filters).");
        }
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());

        var rows = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
            (await connection.QueryAsync<IssueSummaryRow>(new CommandDefinition("""
                select i.issue_pk as IssuePk, i.issue_id as IssueId, i.title as Title, i.product as Product, i.status as Status,
                       i.priority as Priority, i.severity as Severity, i.issue_type as IssueType,
                       i.registered_date as RegisteredDate, i.modified_date as ModifiedDate, i.closed_date as ClosedDate,
                       i.last_crawled_at as LastCrawledAt, coalesce(i.crawl_count, 1) as CrawlCount
                from ims.issues i
                where (@beforePk::bigint is null or i.issue_pk < @beforePk)
                  and (@product::text is null or ims.product_in_family(i.product, @product))
                  and (@status::text is null or lower(i.status) = lower(@status))
                  and (@priority::text is null or lower(i.priority) = lower(@priority))
                  and (@from::timestamptz is null or i.modified_date >= @from)
                  and (@to::timestamptz is null or i.modified_date < @to)
                order by i.issue_pk desc
                limit @limit
                """,
                new { beforePk, product, status, priority, from = from?.UtcDateTime, to = to?.UtcDateTime, limit },
                transaction, cancellationToken: token))).AsList(), cancellationToken);

        var items = rows.Select(row => row.ToSummary()).ToList();
        var next = rows.Count == limit ? Cursors.EncodeId(fingerprint, rows[^1].IssuePk) : null;
        return TypedResults.Ok(new IssuePage(items, next));
    }

    public static async Task<Results<Ok<IssueDetail>, ProblemHttpResult>> GetIssue(
        string issueId, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        if (issueId.Length > 50 || !QueryParameters.IsPrintable(issueId))
            return NotFound(issueId);

        var detail = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
        {
            using var grid = await connection.QueryMultipleAsync(new CommandDefinition("""
                select issue_pk as IssuePk, issue_id as IssueId, title as Title, description as Description, product as Product,
                       status as Status, priority as Priority, severity as Severity, issue_type as IssueType, reporter as Reporter,
                       owner as Owner, manager as Manager, registered_date as RegisteredDate, modified_date as ModifiedDate,
                       closed_date as ClosedDate, project_code as ProjectCode, project_name as ProjectName, site as Site,
                       customer as Customer, found_version as FoundVersion, fixed_version as FixedVersion,
                       target_version as TargetVersion, first_crawled_at as FirstCrawledAt, last_crawled_at as LastCrawledAt,
                       coalesce(crawl_count, 1) as CrawlCount, full_data::text as FullData
                from ims.issues where issue_id = @issueId;

                select c.comment_id as CommentId, c.comment_number as CommentNumber, c.author as Author, c.content as Content,
                       c.commented_at as CommentedAt
                from ims.issue_comments c join ims.issues i on i.issue_pk = c.issue_pk
                where i.issue_id = @issueId
                order by c.comment_number nulls last, c.comment_id;

                select h.history_id as HistoryId, h.changed_by as ChangedBy, h.changed_at as ChangedAt, h.change_type as ChangeType,
                       h.field_name as FieldName, h.old_value as OldValue, h.new_value as NewValue, h.description as Description
                from ims.issue_history h join ims.issues i on i.issue_pk = h.issue_pk
                where i.issue_id = @issueId
                order by h.changed_at nulls last, h.history_id;

                select a.attachment_id as AttachmentId, a.filename as Filename, a.file_type as FileType, a.file_size as FileSize,
                       a.download_url as DownloadUrl, coalesce(a.downloaded, false) as Downloaded, a.download_error as DownloadError,
                       coalesce(a.text_extracted, false) as TextExtracted, a.extracted_text as ExtractedText,
                       cs.session_uuid as SessionUuid, a.created_at as CreatedAt
                from ims.attachments a
                join ims.issues i on i.issue_pk = a.issue_pk
                left join ims.crawl_sessions cs on cs.session_id = a.session_id
                where i.issue_id = @issueId
                order by a.attachment_id;

                select cs.session_uuid as SessionUuid, cs.user_id as UserId, cs.product as Product,
                       cs.original_query as OriginalQuery, coalesce(cs.status, 'running') as Status, cs.started_at as StartedAt,
                       si.crawl_order as CrawlOrder, coalesce(si.had_errors, false) as HadErrors, si.error_message as ErrorMessage
                from ims.session_issues si
                join ims.issues i on i.issue_pk = si.issue_pk
                join ims.crawl_sessions cs on cs.session_id = si.session_id
                where i.issue_id = @issueId
                order by cs.started_at desc, cs.session_id desc
                limit 500;
                """, new { issueId }, transaction, cancellationToken: token));
            var issue = await grid.ReadSingleOrDefaultAsync<IssueRow>();
            if (issue is null)
                return null;
            var comments = (await grid.ReadAsync<IssueComment>()).AsList();
            var history = (await grid.ReadAsync<IssueHistoryEntry>()).AsList();
            var attachments = (await grid.ReadAsync<IssueAttachment>()).AsList();
            var sessions = (await grid.ReadAsync<IssueSession>()).AsList();
            return issue.ToDetail(comments, history, attachments, sessions);
        }, cancellationToken);

        return detail is null ? NotFound(issueId) : TypedResults.Ok(detail);
    }

    public static async Task<Results<Ok<SimilarIssuesPage>, ProblemHttpResult, ValidationProblem>> GetSimilarIssues(
        string issueId, int? limit, HttpContext http, UserDatabase database, CancellationToken cancellationToken)
    {
        var errors = new RequestErrors();
        var take = QueryParameters.Limit(errors, limit, 10, 50);
        if (errors.Any)
            return TypedResults.ValidationProblem(errors.ToDictionary());
        if (issueId.Length > 50 || !QueryParameters.IsPrintable(issueId))
            return NotFound(issueId);

        var hits = await database.RunAsync(http.User.GetDatabaseUser(), async (connection, transaction, token) =>
        {
            var pk = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "select issue_pk from ims.issues where issue_id = @issueId", new { issueId }, transaction, cancellationToken: token));
            return pk is null ? null : await SearchQueries.SimilarAsync(connection, transaction, pk.Value, take, token);
        }, cancellationToken);

        return hits is null
            ? NotFound(issueId)
            : TypedResults.Ok(new SimilarIssuesPage(issueId, hits.Select(hit => hit.ToHit()).ToList()));
    }

    private static ProblemHttpResult NotFound(string issueId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound, title: "Issue not found", detail: $"No issue '{issueId}' exists.");

    private sealed class IssueSummaryRow
    {
        public long IssuePk { get; set; }
        public string IssueId { get; set; } = "";
        public string Title { get; set; } = "";
        public string? Product { get; set; }
        public string? Status { get; set; }
        public string? Priority { get; set; }
        public string? Severity { get; set; }
        public string? IssueType { get; set; }
        public DateTime? RegisteredDate { get; set; }
        public DateTime? ModifiedDate { get; set; }
        public DateTime? ClosedDate { get; set; }
        public DateTime? LastCrawledAt { get; set; }
        public int CrawlCount { get; set; }

        public IssueSummary ToSummary() => new(IssueId, Title, Product, Status, Priority, Severity, IssueType,
            RegisteredDate, ModifiedDate, ClosedDate, LastCrawledAt, CrawlCount);
    }

    private sealed class IssueRow
    {
        public long IssuePk { get; set; }
        public string IssueId { get; set; } = "";
        public string Title { get; set; } = "";
        public string? Description { get; set; }
        public string? Product { get; set; }
        public string? Status { get; set; }
        public string? Priority { get; set; }
        public string? Severity { get; set; }
        public string? IssueType { get; set; }
        public string? Reporter { get; set; }
        public string? Owner { get; set; }
        public string? Manager { get; set; }
        public DateTime? RegisteredDate { get; set; }
        public DateTime? ModifiedDate { get; set; }
        public DateTime? ClosedDate { get; set; }
        public string? ProjectCode { get; set; }
        public string? ProjectName { get; set; }
        public string? Site { get; set; }
        public string? Customer { get; set; }
        public string? FoundVersion { get; set; }
        public string? FixedVersion { get; set; }
        public string? TargetVersion { get; set; }
        public DateTime? FirstCrawledAt { get; set; }
        public DateTime? LastCrawledAt { get; set; }
        public int CrawlCount { get; set; }
        public string? FullData { get; set; }

        public IssueDetail ToDetail(IReadOnlyList<IssueComment> comments, IReadOnlyList<IssueHistoryEntry> history,
            IReadOnlyList<IssueAttachment> attachments, IReadOnlyList<IssueSession> sessions) =>
            new(IssueId, Title, Description, Product, Status, Priority, Severity, IssueType, Reporter, Owner, Manager,
                RegisteredDate, ModifiedDate, ClosedDate, ProjectCode, ProjectName, Site, Customer, FoundVersion,
                FixedVersion, TargetVersion, FirstCrawledAt, LastCrawledAt, CrawlCount, Json.Parse(FullData),
                comments, history, attachments, sessions);
    }
}
