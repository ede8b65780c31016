using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ImsCrawler.Api.Tests.Infrastructure;

namespace ImsCrawler.Api.Tests.Identity;

public sealed class AuthenticationTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    [Fact]
    public async Task No_key_is_401_problem_with_bearer_challenge()
    {
        using var client = api.CreateClient();
        var response = await client.GetAsync("/api/me");
        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Contains("Authorization: Bearer", problem.GetProperty("detail").GetString());
    }

    [Theory]
    [InlineData("Bearer ims_not-a-real-key-at-all")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer ")]
    public async Task Wrong_key_is_401_problem(string header)
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        var response = await client.GetAsync("/api/me");
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Revoked_key_is_401_and_other_keys_of_the_user_keep_working()
    {
        var user = await api.CreateUserAsync("user");
        var second = await TestUsers.AddKeyAsync(api.Database, user.UserId, "second");
        await api.ScalarAsync<int>("update ims.api_keys set revoked_at = now() where key_id = @KeyId", new { user.KeyId });

        using var revoked = api.CreateClient(user);
        var problem = await (await revoked.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("revoked", problem.GetProperty("detail").GetString());

        using var working = api.CreateClient(second);
        Assert.Equal(HttpStatusCode.OK, (await working.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Key_of_an_inactive_user_is_401()
    {
        var user = await api.CreateUserAsync("user");
        await api.ScalarAsync<int>("update ims.users set is_active = false where user_id = @UserId", new { user.UserId });
        using var client = api.CreateClient(user);
        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Key_is_accepted_case_insensitively_on_the_scheme_and_me_returns_own_profile_without_hashes()
    {
        var user = await api.CreateUserAsync("readonly");
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("bearer", user.Key);
        var me = await (await client.GetAsync("/api/me")).ReadAsync<JsonElement>();
        Assert.Equal(user.UserId, me.GetProperty("user").GetProperty("userId").GetInt32());
        Assert.Equal("readonly", me.GetProperty("user").GetProperty("role").GetString());
        var key = Assert.Single(me.GetProperty("keys").EnumerateArray());
        Assert.Equal(user.KeyId, key.GetProperty("keyId").GetInt64());
        Assert.Equal(user.Key[..12], key.GetProperty("prefix").GetString());
        Assert.False(key.TryGetProperty("keyHash", out _));
        Assert.False(key.TryGetProperty("key", out _));
    }

    [Fact]
    public async Task Last_used_at_is_touched_at_most_once_a_minute()
    {
        var user = await api.CreateUserAsync("user");
        using var client = api.CreateClient(user);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        var first = await api.ScalarAsync<DateTime>("select last_used_at from ims.api_keys where key_id = @KeyId", new { user.KeyId });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        var second = await api.ScalarAsync<DateTime>("select last_used_at from ims.api_keys where key_id = @KeyId", new { user.KeyId });
        Assert.Equal(first, second);

        await api.ScalarAsync<int>("update ims.api_keys set last_used_at = now() - interval '2 minutes' where key_id = @KeyId", new { user.KeyId });
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        var third = await api.ScalarAsync<DateTime>("select last_used_at from ims.api_keys where key_id = @KeyId", new { user.KeyId });
        Assert.True(third > DateTime.UtcNow.AddSeconds(-30));
    }

    [Theory]
    [InlineData("readonly", "POST", "/api/sessions")]
    [InlineData("readonly", "POST", "/api/sessions/any/complete")]
    [InlineData("readonly", "POST", "/api/sessions/any/errors")]
    [InlineData("readonly", "POST", "/api/sessions/any/queries")]
    [InlineData("user", "GET", "/api/users")]
    [InlineData("user", "POST", "/api/users")]
    [InlineData("user", "POST", "/api/users/1/keys")]
    [InlineData("readonly", "GET", "/api/users/1")]
    [InlineData("user", "DELETE", "/api/users/1/keys/1")]
    public async Task Wrong_role_is_403_problem(string role, string method, string url)
    {
        var user = await api.CreateUserAsync(role);
        using var client = api.CreateClient(user);
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method != "GET" && method != "DELETE")
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        var problem = await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains(role, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Status_and_health_stay_anonymous()
    {
        using var client = api.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/status")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/alive")).StatusCode);
    }
}
