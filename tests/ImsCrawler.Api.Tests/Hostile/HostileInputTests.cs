using System.Net;
using System.Text.Json;
using ImsCrawler.Api.Problems;
using ImsCrawler.Api.Search;
using ImsCrawler.Api.Tests.Infrastructure;
using ImsCrawler.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ImsCrawler.Api.Tests.Hostile;

/// <summary>
/// Walks every operation of the OpenAPI document and sends each one generated hostile requests (<see cref="HostileRequests"/>),
/// as an admin and as a user, to the real API on Kestrel, in the Development environment (what the AppHost runs:
/// minimal APIs throw on what they cannot bind) and in Production. Every answer must be below 500; every 4xx must be an
/// RFC 9457 problem with status, title and detail; a refused request must leave every stored row as it was; and the
/// server must never have needed its last-resort mapping of database data errors (a validation gap).
/// </summary>
public abstract class HostileInputTests(DatabaseFixture database, string environment)
{
    private const int FailuresShown = 40;

    [Fact]
    public async Task Every_route_answers_hostile_input_with_a_problem_and_writes_nothing()
    {
        await using var app = ApiFactory.On(database, environment: environment, kestrel: true);
        var world = await HostileWorld.CreateAsync(database);
        using var admin = app.CreateClient(world.Admin);
        await world.IngestSampleAsync(admin);
        var operations = OpenApiOperations.Read(JsonDocument.Parse(await admin.GetStringAsync("/openapi/v1.json")).RootElement);
        Assert.True(operations.Count >= 30, $"The document lists only {operations.Count} operations.");

        // A search's history is written behind its answer: the run waits for it before taking a baseline.
        var run = new Run(world, app.Services.GetRequiredService<SearchRecorder>());
        await run.BaselineAsync();
        foreach (var caller in new[] { world.Admin, world.User })
        {
            using var client = app.CreateClient(caller);
            foreach (var operation in operations)
            {
                string Route(string name) => world.RouteValue(name, caller);
                // The user repeats the route and query variants (role-specific paths: RLS, live analytics); bodies are
                // read the same way for every role.
                foreach (var request in HostileRequests.For(operation, Route, world.ValidBody(operation), bodies: caller == world.Admin))
                {
                    if (await run.SendAsync(client, operation, request) == HttpStatusCode.Forbidden && caller == world.User)
                        break; // an admin endpoint: a user gets no further
                }
            }
        }
        using var anonymous = app.CreateClient();
        foreach (var operation in operations.Where(operation => operation.NeedsKey))
            foreach (var request in HostileRequests.BadKeys(operation, name => world.RouteValue(name, world.Admin), world.ValidBody(operation)))
                await run.SendAsync(anonymous, operation, request);
        foreach (var path in OpenApiOperations.MethodsByPath(operations))
            foreach (var request in HostileRequests.UndeclaredMethods(path.Key, path, name => world.RouteValue(name, world.Admin)))
                await run.SendAsync(admin, operations.First(operation => operation.Path == path.Key), request);

        var gaps = app.Logs.Where(entry => entry.Message.Contains(DatabaseProblems.ValidationGapMessage, StringComparison.Ordinal)
                                           || entry.Level >= LogLevel.Error).ToList();
        Assert.True(run.Failures.Count == 0 && gaps.Count == 0,
            $"{run.Failures.Count} of {run.Sent} hostile requests in {environment} broke the contract:\n"
            + string.Join("\n", run.Failures.Take(FailuresShown))
            + $"\nServer errors and validation gaps logged: {gaps.Count}\n"
            + string.Join("\n", gaps.Take(10).Select(entry => $"{entry.Level} {entry.Category}: {entry.Message} {entry.Exception?.Message}")));
        Assert.True(run.Sent > 1000, $"Only {run.Sent} requests were sent.");
    }

    private sealed class Run(HostileWorld world, SearchRecorder recorder)
    {
        private string fingerprint = "";

        public List<string> Failures { get; } = [];
        public int Sent { get; private set; }

        public async Task BaselineAsync() => fingerprint = await world.FingerprintAsync();

        public async Task<HttpStatusCode> SendAsync(HttpClient client, ApiOperation operation, HostileRequest request)
        {
            Sent++;
            HttpResponseMessage response;
            using var message = request.ToMessage();
            try
            {
                response = await client.SendAsync(message);
            }
            catch (HttpRequestException exception)
            {
                Failures.Add($"{operation} | {request}: no answer ({exception.Message})");
                return 0;
            }
            using (response)
            {
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                if (Check(status, response, body, request) is { } problem)
                    Failures.Add($"{operation} | {request}: {status} {problem}: {Shorten(body)}");
                if (status < 400)
                {
                    // Accepted as valid: it may write. Put the aimed-at data back and take a new baseline.
                    await recorder.WhenIdleAsync();
                    await world.EnsureAsync();
                    await BaselineAsync();
                }
                else if (await world.FingerprintAsync() != fingerprint)
                {
                    Failures.Add($"{operation} | {request}: {status} but stored rows changed");
                    await BaselineAsync();
                }
                return response.StatusCode;
            }
        }

        private static string? Check(int status, HttpResponseMessage response, string body, HostileRequest request)
        {
            if (status >= 500)
                return "server error";
            if (status < 400)
                return null;
            if (body.Length == 0 && request.KestrelMayRefuse)
                return null;
            if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                return $"content type {response.Content.Headers.ContentType}";
            try
            {
                var problem = JsonDocument.Parse(body).RootElement;
                if (!problem.TryGetProperty("status", out var s) || s.GetInt32() != status)
                    return "problem without the response's status";
                if (!problem.TryGetProperty("title", out var title) || string.IsNullOrWhiteSpace(title.GetString()))
                    return "problem without a title";
                if (!problem.TryGetProperty("detail", out var detail) || string.IsNullOrWhiteSpace(detail.GetString()))
                    return "problem without a detail";
                if (status == 400 && problem.TryGetProperty("errors", out var errors) && !errors.EnumerateObject().Any())
                    return "validation problem naming no field";
                return null;
            }
            catch (JsonException)
            {
                return "body is not JSON";
            }
        }

        private static string Shorten(string body) => body.Length <= 300 ? body : body[..297] + "...";
    }
}

public sealed class DevelopmentHostileInputTests(DatabaseFixture database)
    : HostileInputTests(database, "Development"), IClassFixture<DatabaseFixture>;

public sealed class ProductionHostileInputTests(DatabaseFixture database)
    : HostileInputTests(database, "Production"), IClassFixture<DatabaseFixture>;
