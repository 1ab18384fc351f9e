using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;
using Microsoft.Net.Http.Headers;

namespace Socle.Modules.Batteries.Web;

/// <summary>Marks the JSON twin of a page: the same address answers JSON to a machine and the page to a person.</summary>
public sealed class JsonTwinMetadata;

/// <summary>
/// Chooses between a page and its JSON twin by the Accept header, in routing (as HTTP method matching does): a request that
/// accepts <c>text/html</c> gets the page; any other (<c>application/json</c>, <c>*/*</c>, no header) gets JSON. This is how
/// the passport resolver a QR code points to answers a phone's browser and a machine at the same URL.
/// </summary>
internal sealed class JsonTwinMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) =>
        endpoints.Any(e => e.Metadata.GetMetadata<JsonTwinMetadata>() is not null);

    public static bool WantsHtml(HttpRequest request)
    {
        foreach (var value in request.Headers.Accept)
        {
            if (value is null)
            {
                continue;
            }
            if (MediaTypeHeaderValue.TryParseList([value], out var types)
                && types.Any(t => t.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && t.Quality is not 0))
            {
                return true;
            }
        }
        return false;
    }

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var hasTwin = false;
        for (var i = 0; i < candidates.Count; i++)
        {
            if (candidates.IsValidCandidate(i) && candidates[i].Endpoint.Metadata.GetMetadata<JsonTwinMetadata>() is not null)
            {
                hasTwin = true;
            }
        }
        if (!hasTwin)
        {
            return Task.CompletedTask;
        }
        var html = WantsHtml(httpContext.Request);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!candidates.IsValidCandidate(i))
            {
                continue;
            }
            var isJson = candidates[i].Endpoint.Metadata.GetMetadata<JsonTwinMetadata>() is not null;
            if (isJson == html)
            {
                candidates.SetValidity(i, false);
            }
        }
        return Task.CompletedTask;
    }
}
