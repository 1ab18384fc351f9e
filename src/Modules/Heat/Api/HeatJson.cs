using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Socle.Modules.Heat.Scenarios;
using Socle.Platform;
using Socle.Platform.Web;

namespace Socle.Modules.Heat.Api;

/// <summary>
/// A JSON response written with Heat's conventions (snake_case names carrying units, as in scenario files:
/// <c>capacity_kw</c>, <c>delivered_mwh</c>), declared to OpenAPI as <typeparamref name="T"/>.
/// </summary>
public sealed class HeatJson<T>(T value, int statusCode = StatusCodes.Status200OK) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult<T>
{
    public static readonly JsonSerializerOptions Options = new(Scenario.Json)
    {
        WriteIndented = false,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public T Value => value;

    public int? StatusCode => statusCode;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = statusCode;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(httpContext.Response.Body, value, Options, httpContext.RequestAborted);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}

internal static class Bodies
{
    /// <summary>Reads a request body as text, refusing what is larger than the configured limit (413).</summary>
    public static async Task<(string? Text, IResult? Problem)> ReadAsync(HttpRequest request, int maxBytes)
    {
        var text = await RequestText.ReadAsync(request, maxBytes, request.HttpContext.RequestAborted);
        if (text is null)
        {
            return (null, Error.Validation("body", $"is larger than {maxBytes} bytes (Socle:Heat:MaxUploadBytes)").ToProblem());
        }
        return string.IsNullOrWhiteSpace(text) ? (null, Error.Validation("body", "is empty").ToProblem()) : (text, null);
    }

    public static T? Deserialize<T>(string text, out Error? error)
    {
        try
        {
            error = null;
            return JsonSerializer.Deserialize<T>(text, Scenario.Json);
        }
        catch (JsonException e)
        {
            error = Error.Validation(e.Path is { Length: > 0 } p ? p : "body", e.Message.Split(" Path:")[0]);
            return default;
        }
    }
}
