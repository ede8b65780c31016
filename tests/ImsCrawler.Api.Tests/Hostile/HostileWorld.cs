using System.Text.Json.Nodes;
using Dapper;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Api.Tests.Hostile;

/// <summary>
/// The data the hostile requests aim at: an admin and a user calling, a target user with a key (for the admin routes),
/// a running session of each caller, an ingested issue and a published job; valid route values and bodies for every
/// operation; and a fingerprint of everything stored, to show that a refused request wrote nothing.
/// </summary>
public sealed class HostileWorld
{
    public const string JobName = "hostile-daily";

    private readonly DatabaseFixture database;
    private readonly Dictionary<int, string> sessions = [];
    private int counter;

    private HostileWorld(DatabaseFixture database, TestUser admin, TestUser user, TestUser target, long targetKeyId)
    {
        this.database = database;
        Admin = admin;
        User = user;
        Target = target;
        TargetKeyId = targetKeyId;
    }

    public TestUser Admin { get; }
    public TestUser User { get; }
    public TestUser Target { get; }
    public long TargetKeyId { get; }
    public const string IssueId = "HOSTILE-1";

    public static async Task<HostileWorld> CreateAsync(DatabaseFixture database)
    {
        var admin = await TestUsers.CreateAsync(database, "admin");
        var user = await TestUsers.CreateAsync(database, "user");
        var target = await TestUsers.CreateAsync(database, "user");
        var world = new HostileWorld(database, admin, user, target, target.KeyId);
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("""
            insert into ims.job_schedules (job_name, description, schedule, time_zone, period_kind, enabled)
            values (@JobName, 'hostile test job', '0 1 * * *', 'UTC', 'day', true)
            on conflict (job_name) do nothing
            """, new { JobName });
        await world.EnsureAsync();
        return world;
    }

    /// <summary>Ingests the sample issue through the API, as the admin, into the admin's session.</summary>
    public async Task IngestSampleAsync(HttpClient admin)
    {
        var response = await admin.PostAsync($"/api/sessions/{SessionOf(Admin)}/issues",
            new StringContent(new JsonArray(CrawledIssue()).ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A valid value for a route parameter, for <paramref name="caller"/>.</summary>
    public string RouteValue(string name, TestUser caller) => name switch
    {
        "id" => Target.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "keyId" => TargetKeyId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "uuid" or "sessionUuid" => SessionOf(caller),
        "name" => JobName,
        "issueId" => IssueId,
        _ => "1",
    };

    /// <summary>A valid body for an operation (null when it takes none): from its schema, named values, and samples.</summary>
    public JsonNode? ValidBody(ApiOperation operation)
    {
        if (operation.Body is not { } body)
            return null;
        if (body.ContentTypes.Contains("application/x-ndjson"))
            return new JsonArray(CrawledIssue());
        var item = new JsonObject();
        foreach (var property in body.Properties)
            item[property.Name] = ValidValue(property.Name, property.Kind);
        return body.IsArray ? new JsonArray(item) : item;
    }

    /// <summary>Puts back what an accepted request may have changed: the callers' sessions running, the target active.</summary>
    public async Task EnsureAsync()
    {
        await using var connection = await database.OpenAsync();
        await connection.ExecuteAsync("update ims.users set is_active = true, role = 'user' where user_id = @UserId", Target);
        await connection.ExecuteAsync("update ims.api_keys set revoked_at = null where key_id = @TargetKeyId", this);
        foreach (var caller in new[] { Admin, User })
        {
            var status = sessions.TryGetValue(caller.UserId, out var uuid)
                ? await connection.ExecuteScalarAsync<string?>("select status from ims.crawl_sessions where session_uuid = @uuid", new { uuid })
                : null;
            if (status == "running")
                continue;
            uuid = $"hostile-{Guid.NewGuid():N}";
            await connection.ExecuteAsync("""
                insert into ims.crawl_sessions (session_uuid, user_id, product, original_query, parsed_query)
                values (@uuid, @UserId, 'OpenFrame', 'hostile', 'hostile')
                """, new { uuid, caller.UserId });
            sessions[caller.UserId] = uuid;
        }
    }

    /// <summary>
    /// A fingerprint of every row a request could write: per table the row count and the newest row version (xmin), so
    /// an insert, update or delete shows; API keys by content, because authentication touches their last_used_at.
    /// </summary>
    public async Task<string> FingerprintAsync()
    {
        await using var connection = await database.OpenAsync();
        return await connection.ExecuteScalarAsync<string>($"""
            select concat_ws(',', {string.Join(", ", WrittenTables.Select(t =>
                $"(select count(*) || ':' || coalesce(max(xmin::text::bigint), 0) from ims.{t})"))},
                (select md5(string_agg(row(key_id, user_id, name, key_hash, revoked_at)::text, '|' order by key_id)) from ims.api_keys))
            """) ?? "";
    }

    private static readonly string[] WrittenTables =
    [
        "users", "crawl_sessions", "session_errors", "search_queries", "issues", "session_issues", "issue_comments",
        "issue_history", "attachments", "issue_search_documents", "audit_log", "job_requests", "job_runs",
    ];

    private string SessionOf(TestUser caller) => sessions[caller.UserId];

    private JsonNode? ValidValue(string name, ValueKind kind) => name switch
    {
        "username" => $"hostile-{Interlocked.Increment(ref counter)}",
        "sessionUuid" => $"hostile-new-{Guid.NewGuid():N}",
        "email" => "hostile@example.com",
        "role" => "user",
        "status" => "completed",
        "severity" => "error",
        "product" => "OpenFrame",
        "queryLanguage" => "en",
        "date" => "2020-01-15",
        "month" => "2020-01",
        "isActive" => true,
        "maxResults" => 10,
        "parsingConfidence" => 0.5,
        _ => kind switch
        {
            ValueKind.Integer => 1,
            ValueKind.Number => 0.5,
            ValueKind.Boolean => false,
            ValueKind.DateTime => "2024-01-15T09:00:00+09:00",
            ValueKind.Json or ValueKind.Object => new JsonObject { ["source"] = "hostile" },
            ValueKind.Array => new JsonArray(),
            _ => "hostile",
        },
    };

    /// <summary>A crawled issue as the crawler writes it.</summary>
    public static JsonObject CrawledIssue() => new()
    {
        ["issue_id"] = IssueId,
        ["title"] = "배치 작업 타임아웃 hostile",
        ["description"] = "A job timed out.",
        ["product"] = "OpenFrame",
        ["status"] = "Open",
        ["priority"] = "High",
        ["created_date"] = "2024-01-15 10:23",
        ["updated_date"] = "2024-01-16",
        ["reporter"] = "Kim (kim@example.com)",
        ["assignee"] = "Lee",
        ["metadata"] = new JsonObject { ["severity"] = "Major", ["category"] = "Bug" },
        ["comments"] = new JsonArray(new JsonObject { ["action_no"] = 1, ["author"] = "Kim", ["date"] = "2024-01-15 11:00", ["content"] = "Seen again." }),
        ["history"] = new JsonArray(new JsonObject { ["date"] = "2024-01-15 12:00", ["user"] = "Lee", ["details"] = "Status changed from Open to Assigned" }),
        ["attachments"] = new JsonArray(new JsonObject { ["name"] = "log.txt", ["size"] = "12.3 KB", ["type"] = "regular", ["extracted_text"] = "TPETIME" }),
        ["crawl_order"] = 1,
    };
}
