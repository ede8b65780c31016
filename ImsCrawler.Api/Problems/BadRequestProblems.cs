using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ImsCrawler.Api.Problems;

/// <summary>
/// Turns what minimal APIs cannot bind (<see cref="BadHttpRequestException"/>: malformed JSON, a wrong JSON type,
/// nesting past 64 levels, a value PostgreSQL cannot store, a non-numeric or overflowing number in the route or query
/// string, a missing body, a wrong content type, a body past the server's limit) into a 400 validation problem naming
/// the parameter or JSON path, or the 413 / 415 the exception carries. Minimal APIs throw these only in Development by
/// default and answer with an empty body elsewhere; <see cref="ProblemsExtensions"/> makes them throw everywhere, so
/// every environment answers alike.
/// </summary>
public sealed partial class BadRequestProblems(IProblemDetailsService problems) : IExceptionHandler
{
    // `Failed to bind parameter "int? Limit" from "abc".` / `Required parameter "CreateUserRequest request" was not provided from body.`
    [GeneratedRegex("""^(?:Failed to bind parameter|Required parameter|Failed to read parameter) "(?<type>[^"]{1,200}) (?<name>[^" ]{1,200})"(?: from "(?<value>.{0,200}?)")?""",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ParameterMessage();

    // `The JSON value could not be converted to System.Nullable`1[System.Int32]. Path: ...`
    [GeneratedRegex(@"could not be converted to (?:System\.Nullable`1\[)?(?:System\.)?(?<type>[\w.]{1,200})",
        RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ConversionMessage();

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
            return false;
        var problem = bad.StatusCode == StatusCodes.Status400BadRequest ? Describe(bad) : new ProblemDetails { Detail = bad.Message };
        problem.Status = bad.StatusCode;
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext, ProblemDetails = problem, Exception = exception,
        });
    }

    private static HttpValidationProblemDetails Describe(BadHttpRequestException bad)
    {
        var (field, message) = bad.InnerException switch
        {
            JsonException json => (FieldOf(json), JsonMessage(json)),
            _ => ParameterOf(bad.Message),
        };
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
        {
            Title = "The request could not be read; nothing was written.",
            Detail = $"{field}: {message}",
        };
    }

    /// <summary>The JSON path as the API's validation errors name fields: <c>username</c>, <c>[3].message</c>, <c>metadata.a.b</c>.</summary>
    private static string FieldOf(JsonException json)
    {
        var path = json.Path is { Length: > 0 } p ? p : "$";
        if (json is RefusedJsonValueException { InnerPath.Length: > 0 } refused)
            path += refused.InnerPath;
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Length == 0 ? "body" : field;
    }

    private static string JsonMessage(JsonException json)
    {
        if (json is RefusedJsonValueException)
            return json.Message;
        if (json.Message.Contains("maximum configured depth", StringComparison.Ordinal))
            return "is nested more than 64 levels deep";
        if (ConversionMessage().Match(json.Message) is { Success: true } conversion)
            return $"must be {Describe(conversion.Groups["type"].Value)}";
        return json.Path is null or "$" ? "is not valid JSON: " + FirstSentence(json.Message) : FirstSentence(json.Message);
    }

    private static (string Field, string Message) ParameterOf(string message)
    {
        if (message.StartsWith("Implicit body inferred", StringComparison.Ordinal))
            return ("body", "A JSON body is required.");
        var match = ParameterMessage().Match(message);
        if (!match.Success)
            return ("request", message);
        var name = match.Groups["name"].Value;
        var field = name.Length > 0 ? char.ToLowerInvariant(name[0]) + name[1..] : "request";
        if (message.StartsWith("Required", StringComparison.Ordinal))
            return (field == "request" ? "body" : field, message.EndsWith("from body.", StringComparison.Ordinal)
                ? "A JSON body is required."
                : $"{field} is required.");
        if (message.StartsWith("Failed to read", StringComparison.Ordinal))
            return ("body", FirstSentence(message));
        var type = match.Groups["type"].Value.TrimEnd('?').Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>');
        return (field, $"\"{match.Groups["value"].Value}\" is not {Describe(type)}.");
    }

    private static string Describe(string type) => type switch
    {
        "int" or "Int32" or "long" or "Int64" or "short" or "Int16" => "a whole number in range",
        "decimal" or "double" or "float" or "Decimal" or "Double" or "Single" => "a number in range",
        "bool" or "Boolean" => "true or false",
        "Guid" => "a UUID",
        "DateTime" or "DateTimeOffset" => "an ISO 8601 date and time with its offset (2024-03-14T09:00:00+09:00)",
        "DateOnly" => "a date (2024-03-14)",
        "String" => "a string",
        "Text.Json.JsonElement" => "a JSON value",
        _ when type.EndsWith("[]", StringComparison.Ordinal) || type.Contains("List", StringComparison.Ordinal) => "an array",
        _ => "an object",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
