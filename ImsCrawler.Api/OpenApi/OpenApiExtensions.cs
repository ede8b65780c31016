using System.Text.Json;
using ImsCrawler.Api.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace ImsCrawler.Api.OpenApi;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) and the Scalar reference UI (<c>/scalar</c>), served in every
/// environment (they describe the API, they expose no data; every data endpoint still needs a key). The
/// document declares the bearer scheme (an API key) and, on every endpoint that needs a key, the 401 (and for
/// writer/admin endpoints the 403) ProblemDetails responses the authentication and authorization layers give.
/// </summary>
public static class OpenApiExtensions
{
    public const string DocumentName = "v1";
    public const string SchemeName = "Bearer";

    public static IServiceCollection AddImsOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "IMS Crawler API",
                    Version = DocumentName,
                    Description = "Crawl sessions, issues, search, analytics and administration of the IMS crawler metadata platform. "
                                  + "Authenticate with an API key: `Authorization: Bearer ims_...`. Errors are RFC 9457 problem details.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "API key (ims_ + 43 base64url characters)",
                    Description = "An API key created by an administrator (POST /api/users/{id}/keys), sent as a bearer token.",
                };
                return Task.CompletedTask;
            });
            // [AsParameters] records name query parameters after their properties (Cursor); the API and its docs say cursor.
            options.AddOperationTransformer((operation, _, _) =>
            {
                foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
                    if (parameter is { In: ParameterLocation.Query, Name: { Length: > 0 } name })
                        parameter.Name = JsonNamingPolicy.CamelCase.ConvertName(name);
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(async (operation, context, cancellationToken) =>
            {
                var authorization = context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().ToList();
                if (authorization.Count == 0
                    || context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
                    return;
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(SchemeName, context.Document)] = [],
                });
                var problem = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, cancellationToken);
                operation.Responses ??= [];
                AddProblem(operation, "401", "No API key, or an unknown, revoked or deactivated one.", problem);
                if (authorization.Any(data => data.Policy is not null && data.Policy != ImsPolicies.Reader))
                    AddProblem(operation, "403", "The key's role may not call this endpoint.", problem);
            });
        });

    public static IEndpointRouteBuilder MapImsOpenApi(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi();
        routes.MapScalarApiReference(options => options.WithTitle("IMS Crawler API"));
        return routes;
    }

    private static void AddProblem(OpenApiOperation operation, string status, string description, OpenApiSchema schema)
    {
        if (operation.Responses!.ContainsKey(status))
            return;
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = schema },
            },
        };
    }
}
