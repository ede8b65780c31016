namespace ImsCrawler.EndToEnd.Tests;

// Builds the AppHost without starting it, so it needs no shared app.
public sealed class PostgresModeTests
{
    [Fact]
    public async Task UnknownModeFailsListingTheValidModes()
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() =>
            DistributedApplicationTestingBuilder.CreateAsync<Projects.ImsCrawler_AppHost>(["Postgres:Mode=kubernetes"]));

        var messages = string.Join(" | ", Messages(exception));
        Assert.Contains("'kubernetes'", messages);
        Assert.Contains("auto, container, local, external", messages);
    }

    private static IEnumerable<string> Messages(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            yield return exception.Message;
        }
    }
}
