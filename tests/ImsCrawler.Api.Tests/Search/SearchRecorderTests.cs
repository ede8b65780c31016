using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.TestSupport;

namespace ImsCrawler.Api.Tests.Search;

/// <summary>A search's history is written behind its answer (so reads can go to a replica); a clean shutdown loses none of it.</summary>
public sealed class SearchRecorderTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task Every_first_page_is_recorded_even_when_the_service_stops_right_after_answering()
    {
        TestUser user;
        const int searches = 200;
        await using (var app = ApiFactory.On(database).Start())
        {
            user = await app.CreateUserAsync();
            using var client = app.CreateClient(user);
            var answers = await Task.WhenAll(Enumerable.Range(0, searches).Select(i => client.GetAsync($"/api/search?q=recorder{i}")));
            Assert.All(answers, answer => Assert.True(answer.IsSuccessStatusCode));
        } // disposed at once: a clean shutdown, with records possibly still queued

        await using var connection = await database.OpenAsync();
        var recorded = await Dapper.SqlMapper.ExecuteScalarAsync<long>(connection,
            "select count(*) from ims.search_queries where user_id = @UserId", new { user.UserId });
        Assert.Equal(searches, recorded);
    }
}
