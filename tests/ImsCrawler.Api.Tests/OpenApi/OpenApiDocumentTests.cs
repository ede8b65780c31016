using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ImsCrawler.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ImsCrawler.Api.Tests.OpenApi;

public sealed partial class OpenApiDocumentTests(ApiFactory api) : IClassFixture<ApiFactory>
{
    private async Task<JsonElement> DocumentAsync()
    {
        using var client = api.CreateClient();
        var response = await client.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task The_document_lists_every_api_route_of_the_app()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");
        var documented = paths.EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => $"{op.Name.ToUpperInvariant()} {Normalize(path.Name)}"))
            .ToHashSet();

        var routes = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(endpoint => endpoint.RoutePattern.RawText?.StartsWith("/api", StringComparison.Ordinal) == true)
            .SelectMany(endpoint => (endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(method => $"{method} {Normalize(endpoint.RoutePattern.RawText!)}"))
            .ToHashSet();

        Assert.True(routes.Count > 30, $"only {routes.Count} routes found");
        Assert.Empty(routes.Except(documented));
        Assert.Contains("GET /api/search", documented);
        Assert.Contains("DELETE /api/sessions", documented);
    }

    [Fact]
    public async Task Protected_operations_declare_the_bearer_scheme_and_problem_responses()
    {
        var document = await DocumentAsync();
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        var search = document.GetProperty("paths").EnumerateObject().Single(p => Normalize(p.Name) == "/api/search").Value.GetProperty("get");
        Assert.True(search.GetProperty("security").GetArrayLength() > 0);
        var responses = search.GetProperty("responses");
        Assert.True(responses.TryGetProperty("401", out var unauthorized));
        Assert.True(unauthorized.GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.True(responses.TryGetProperty("400", out _));
        Assert.False(responses.TryGetProperty("403", out _));   // any role may search

        var admin = document.GetProperty("paths").EnumerateObject().Single(p => Normalize(p.Name) == "/api/admin/database").Value.GetProperty("get");
        Assert.True(admin.GetProperty("responses").TryGetProperty("403", out _));

        var status = document.GetProperty("paths").EnumerateObject().Single(p => Normalize(p.Name) == "/api/status").Value.GetProperty("get");
        Assert.False(status.TryGetProperty("security", out _));
    }

    [Fact]
    public async Task Every_list_pages_by_a_described_cursor_and_limit_and_answers_items_and_a_next_cursor()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(op => (Name: $"{op.Name.ToUpperInvariant()} {Normalize(path.Name)}", Operation: op.Value)))
            .ToList();
        static IEnumerable<JsonElement> Parameters(JsonElement operation) =>
            operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray() : [];

        var paged = operations.Where(op => Parameters(op.Operation).Any(p => p.GetProperty("name").GetString() == "cursor")).ToList();

        Assert.Equal(["GET /api/audit", "GET /api/issues", "GET /api/jobs/{name}/runs", "GET /api/search", "GET /api/sessions", "GET /api/users"],
            paged.Select(op => op.Name).Order(StringComparer.Ordinal));
        foreach (var (name, operation) in paged)
        {
            foreach (var parameter in new[] { "cursor", "limit" })
            {
                var described = Parameters(operation).Single(p => p.GetProperty("name").GetString() == parameter);
                Assert.False(string.IsNullOrWhiteSpace(described.TryGetProperty("description", out var d) ? d.GetString() : null),
                    $"{name}: {parameter} has no description");
            }
            var schema = operation.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema");
            var properties = schemas.GetProperty(schema.GetProperty("$ref").GetString()!.Split('/')[^1]).GetProperty("properties");
            Assert.True(properties.TryGetProperty("items", out _) && properties.TryGetProperty("nextCursor", out _), $"{name}: {properties}");
        }
        string[] retired = ["afterId", "beforeId", "startedFrom", "startedTo", "modifiedFrom", "modifiedTo"];
        Assert.DoesNotContain(operations.SelectMany(op => Parameters(op.Operation)), p => retired.Contains(p.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Scalar_answers_without_a_key()
    {
        using var client = api.CreateClient();
        var response = await client.GetAsync("/scalar");
        if (response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Redirect)
            response = await client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString());
    }

    // "/api/users/{id:int}/" and "/api/users/{id}" are the same operation.
    private static string Normalize(string path) => Constraint().Replace(path, "}").TrimEnd('/');

    [GeneratedRegex(":[^}]*}")]
    private static partial Regex Constraint();
}
