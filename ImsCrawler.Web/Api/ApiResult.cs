using System.Text.Json;

namespace ImsCrawler.Web.Api;

/// <summary>What the Api answered: a value, or a problem (RFC 9457) the page can show.</summary>
public sealed class ApiResult<T>
{
    private ApiResult(T? value, ApiProblem? problem) => (Value, Problem) = (value, problem);

    public T? Value { get; }

    public ApiProblem? Problem { get; }

    public bool IsSuccess => Problem is null;

    public bool IsNotFound => Problem?.Status == StatusCodes.Status404NotFound;

    public static ApiResult<T> Success(T value) => new(value, null);

    public static ApiResult<T> Failure(ApiProblem problem) => new(default, problem);
}

/// <param name="Status">The Api's status code, or 503 when the Api could not be reached.</param>
/// <param name="Errors">Validation messages keyed by the Api's field name.</param>
public sealed record ApiProblem(int Status, string? Title, string? Detail, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsUnreachable { get; init; }

    public static ApiProblem Unreachable(string detail) =>
        new(StatusCodes.Status503ServiceUnavailable, null, detail, new Dictionary<string, string[]>()) { IsUnreachable = true };

    /// <summary>Every message, field messages first (for a summary above a form).</summary>
    public IEnumerable<string> Messages =>
        Errors.Count > 0 ? Errors.SelectMany(error => error.Value) : [Detail ?? Title ?? $"HTTP {Status}"];

    public static ApiProblem Read(int status, string body)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        string? title = null, detail = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                title = root.TryGetProperty("title", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
                detail = root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
                    foreach (var field in e.EnumerateObject())
                        errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                            ? field.Value.EnumerateArray().Select(m => m.GetString() ?? "").ToArray()
                            : [field.Value.ToString()];
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's error page): the status alone is shown.
        }
        return new ApiProblem(status, title, detail, errors);
    }
}

/// <summary>The Api refused the signed-in person's key (revoked, or the user deactivated): the Web signs them out.</summary>
public sealed class ApiKeyRejectedException() : Exception("The Api no longer accepts this session's API key.");
