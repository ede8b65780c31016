using System.Net;
using System.Text.Json;
using ImsCrawler.Api.Paging;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.Api.Users;

namespace ImsCrawler.Api.Tests.Users;

public sealed class UsersApiTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<HttpClient> AdminAsync() => api.CreateClient(await api.CreateUserAsync("admin"));

    private static object NewUser(string? username = null, string role = "user") => new
    {
        username = username ?? TestUsers.Unique("u"),
        email = "someone@example.com",
        fullName = "Some One",
        department = "Engineering",
        role,
        preferences = new { language = "ko", max_results = 50 },
    };

    [Fact]
    public async Task Create_get_update_and_list_a_user()
    {
        using var admin = await AdminAsync();
        var username = TestUsers.Unique("kim");
        var created = await (await admin.PostJsonAsync("/api/users", NewUser(username))).ReadAsync<UserResponse>(HttpStatusCode.Created);
        Assert.Equal(username, created.Username);
        Assert.Equal("user", created.Role);
        Assert.True(created.IsActive);
        Assert.Equal("ko", created.Preferences.GetProperty("language").GetString());

        var fetched = await (await admin.GetAsync($"/api/users/{created.UserId}")).ReadAsync<UserResponse>();
        Assert.Equal("someone@example.com", fetched.Email);

        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/users/{created.UserId}")
        {
            Content = JsonContent(new { email = "", role = "readonly", department = "QA" }),
        };
        var updated = await (await admin.SendAsync(patch)).ReadAsync<UserResponse>();
        Assert.Null(updated.Email);
        Assert.Equal("readonly", updated.Role);
        Assert.Equal("QA", updated.Department);
        Assert.Equal("Some One", updated.FullName);

        var actions = await api.QueryAsync<string>(
            "select action from ims.audit_log where resource_type = 'user' and resource_id = @id order by log_id",
            new { id = created.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(["user.created", "user.updated"], actions);
    }

    [Fact]
    public async Task List_pages_by_user_id()
    {
        using var admin = await AdminAsync();
        for (var i = 0; i < 3; i++)
            await api.CreateUserAsync();
        var total = await api.ScalarAsync<long>("select count(*) from ims.users");

        var seen = new List<int>();
        string? after = null;
        do
        {
            var page = await (await admin.GetAsync($"/api/users?limit=2{(after is null ? "" : $"&cursor={after}")}")).ReadAsync<Page<UserResponse>>();
            Assert.True(page.Items.Count <= 2);
            seen.AddRange(page.Items.Select(user => user.UserId));
            after = page.NextCursor;
        } while (after is not null);

        Assert.Equal(total, seen.Count);
        Assert.Equal(seen.Order(), seen);
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        await (await admin.GetAsync("/api/users?limit=0")).AssertValidationProblemAsync("limit");
    }

    [Fact]
    public async Task Duplicate_username_is_409()
    {
        using var admin = await AdminAsync();
        var username = TestUsers.Unique("dup");
        await (await admin.PostJsonAsync("/api/users", NewUser(username))).ReadAsync<UserResponse>(HttpStatusCode.Created);
        var problem = await (await admin.PostJsonAsync("/api/users", NewUser(username))).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(username, problem.GetProperty("detail").GetString());
    }

    public static TheoryData<string, string> InvalidUsers => new()
    {
        { """{"role": "user"}""", "username" },
        { """{"username": "   "}""", "username" },
        { $$"""{"username": "{{new string('x', 101)}}"}""", "username" },
        { """{"username": "valid-name-x", "role": "superuser"}""", "role" },
        { """{"username": "valid-name-x", "email": "not-an-address"}""", "email" },
        { """{"username": "valid-name-x", "preferences": [1, 2]}""", "preferences" },
        { $$"""{"username": "valid-name-x", "department": "{{new string('d', 101)}}"}""", "department" },
    };

    [Theory]
    [MemberData(nameof(InvalidUsers))]
    public async Task Invalid_user_is_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        using var admin = await AdminAsync();
        var before = await api.ScalarAsync<long>("select count(*) from ims.users");
        var response = await admin.PostAsync("/api/users", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await response.AssertValidationProblemAsync(field);
        Assert.Equal(before, await api.ScalarAsync<long>("select count(*) from ims.users"));
    }

    [Fact]
    public async Task Unknown_user_is_404_problem()
    {
        using var admin = await AdminAsync();
        await (await admin.GetAsync("/api/users/99999999")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsync("/api/users/99999999/deactivate", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync("/api/users/99999999/keys")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Keys_are_shown_once_listed_without_secrets_and_revocable()
    {
        using var admin = await AdminAsync();
        var user = await api.CreateUserAsync("user");

        var created = await (await admin.PostJsonAsync($"/api/users/{user.UserId}/keys", new { name = "crawler laptop" }))
            .ReadAsync<CreatedApiKeyResponse>(HttpStatusCode.Created);
        Assert.StartsWith("ims_", created.Key);
        Assert.Equal(created.Key[..12], created.Prefix);

        using var withNewKey = api.CreateClient(created.Key);
        var me = await (await withNewKey.GetAsync("/api/me")).ReadAsync<MeResponse>();
        Assert.Equal(user.UserId, me.User.UserId);

        var listBody = await (await admin.GetAsync($"/api/users/{user.UserId}/keys")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(created.Key, listBody);
        Assert.DoesNotContain("hash", listBody, StringComparison.OrdinalIgnoreCase);
        var keys = JsonSerializer.Deserialize<ApiKeyResponse[]>(listBody, HttpAssertions.Json)!;
        Assert.Equal(["test", "crawler laptop"], keys.Select(key => key.Name));

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{user.UserId}/keys/{created.KeyId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{user.UserId}/keys/{created.KeyId}")).StatusCode);
        await (await withNewKey.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        using var withOldKey = api.CreateClient(user);
        Assert.Equal(HttpStatusCode.OK, (await withOldKey.GetAsync("/api/me")).StatusCode);

        // A key of another user is not found under this user.
        var other = await api.CreateUserAsync("user");
        await (await admin.DeleteAsync($"/api/users/{user.UserId}/keys/{other.KeyId}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostJsonAsync($"/api/users/{user.UserId}/keys", new { name = "" })).AssertValidationProblemAsync("name");
    }

    [Fact]
    public async Task Deactivating_revokes_all_keys_and_blocks_new_ones()
    {
        using var admin = await AdminAsync();
        var user = await api.CreateUserAsync("user");
        await TestUsers.AddKeyAsync(api.Database, user.UserId, "second");

        var deactivated = await (await admin.PostAsync($"/api/users/{user.UserId}/deactivate", null)).ReadAsync<UserResponse>();
        Assert.False(deactivated.IsActive);
        Assert.Equal(0, await api.ScalarAsync<long>(
            "select count(*) from ims.api_keys where user_id = @UserId and revoked_at is null", new { user.UserId }));
        using var client = api.CreateClient(user);
        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await admin.PostJsonAsync($"/api/users/{user.UserId}/keys", new { name = "again" })).AssertProblemAsync(HttpStatusCode.Conflict);

        // Reactivation does not bring old keys back; a new key works.
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/users/{user.UserId}") { Content = JsonContent(new { isActive = true }) };
        Assert.True((await (await admin.SendAsync(patch)).ReadAsync<UserResponse>()).IsActive);
        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var fresh = await (await admin.PostJsonAsync($"/api/users/{user.UserId}/keys", new { name = "again" })).ReadAsync<CreatedApiKeyResponse>(HttpStatusCode.Created);
        using var freshClient = api.CreateClient(fresh.Key);
        Assert.Equal(HttpStatusCode.OK, (await freshClient.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Admins_cannot_lock_themselves_out()
    {
        var self = await api.CreateUserAsync("admin");
        using var admin = api.CreateClient(self);
        await (await admin.PostAsync($"/api/users/{self.UserId}/deactivate", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/users/{self.UserId}") { Content = JsonContent(new { role = "user" }) };
        await (await admin.SendAsync(patch)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Me_works_for_every_role_and_shows_only_own_keys()
    {
        foreach (var role in new[] { "admin", "user", "readonly" })
        {
            var user = await api.CreateUserAsync(role);
            await api.CreateUserAsync(role);
            using var client = api.CreateClient(user);
            var me = await (await client.GetAsync("/api/me")).ReadAsync<MeResponse>();
            Assert.Equal(user.UserId, me.User.UserId);
            Assert.Equal(role, me.User.Role);
            Assert.All(me.Keys, key => Assert.Equal(user.UserId, key.UserId));
            Assert.Single(me.Keys);
        }
    }

    private static StringContent JsonContent(object value) =>
        new(JsonSerializer.Serialize(value, HttpAssertions.Json), System.Text.Encoding.UTF8, "application/json");
}
