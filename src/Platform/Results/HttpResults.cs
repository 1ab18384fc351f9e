using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Socle.Platform;

/// <summary>Maps expected failures to RFC 9457 problem details at the HTTP edge.</summary>
public static class HttpResultsExtensions
{
    /// <summary>
    /// A problem response: status from the error kind, <c>title</c> the stable code, <c>detail</c> the message, and for
    /// input errors an <c>errors</c> member naming each field and its reasons (the shape of ASP.NET's validation problems).
    /// </summary>
    public static ProblemHttpResult ToProblem(this Error error)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = error.Code };
        if (error.Fields is { Count: > 0 } fields)
        {
            extensions["errors"] = fields;
        }
        return TypedResults.Problem(
            detail: error.Message,
            statusCode: error.HttpStatus,
            title: error.Code,
            type: $"https://socle.invalid/problems/{error.Code}",
            extensions: extensions);
    }

    /// <summary>200 with the value, or the problem.</summary>
    public static Microsoft.AspNetCore.Http.HttpResults.Results<Ok<T>, ProblemHttpResult> ToHttp<T>(this Result<T> result) =>
        result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem();
}
