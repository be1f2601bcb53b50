using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Kiosque.Api;

/// <summary>
/// An RFC 9457 problem sent as <c>application/problem+json</c> and described as such in the
/// OpenAPI document. The built-in typed results either send problems as plain
/// <c>application/json</c> (<c>BadRequest&lt;ProblemDetails&gt;</c>) or leave them out of the
/// description (<c>ProblemHttpResult</c>); one subclass per status says which an endpoint answers.
/// </summary>
public abstract class ApiProblemResult(ProblemDetails problem) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<ProblemDetails>
{
    public const string ContentType = "application/problem+json";

    public ProblemDetails Value { get; } = problem;

    object? IValueHttpResult.Value => Value;

    public int? StatusCode => Value.Status;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = Value.Status ?? StatusCodes.Status500InternalServerError;
        var json = httpContext.RequestServices.GetRequiredService<IOptions<HttpJsonOptions>>().Value.SerializerOptions;
        return httpContext.Response.WriteAsJsonAsync(Value, json, ContentType);
    }

    protected static void Describe(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ContentType]));
}

/// <summary>400: a query parameter the endpoint cannot use.</summary>
public sealed class ApiBadRequest(ProblemDetails problem) : ApiProblemResult(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status400BadRequest);
}

/// <summary>404: no such published record, filter value or page.</summary>
public sealed class ApiNotFound(ProblemDetails problem) : ApiProblemResult(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status404NotFound);
}

/// <summary>503: the search index cannot answer yet (first build); try again after <c>Retry-After</c>.</summary>
public sealed class ApiUnavailable(ProblemDetails problem) : ApiProblemResult(problem), IEndpointMetadataProvider
{
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Describe(builder, StatusCodes.Status503ServiceUnavailable);
}

/// <summary>405: the content API only reads.</summary>
public sealed class ApiMethodNotAllowed(ProblemDetails problem) : ApiProblemResult(problem);
