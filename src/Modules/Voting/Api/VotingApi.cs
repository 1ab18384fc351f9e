using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Socle.Modules.Voting.Boards;
using Socle.Modules.Voting.Verification;
using Socle.Platform;

namespace Socle.Modules.Voting.Api;

/// <summary>
/// <c>/api/voting</c>: verify a board anyone uploads, list and read the published boards. Everything here is public:
/// verification has no side effect and boards are public by nature (publishing is done by the organiser with
/// <c>socle vote publish</c>, which has direct access to the database).
/// </summary>
public static class VotingApi
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/voting").WithTags("Voting");

        api.MapPost("/verify", VerifyAsync)
            .WithName("VerifyBoard")
            .WithSummary("Verify a Belenios public board (.bel)")
            .WithDescription("Send the board as the request body (application/octet-stream or application/x-tar) or as the form field 'board' of a multipart upload. The answer is the verification report; 'ok' says whether every check passed and 'problem' names the first failure (event, reason).")
            .Accepts<IFormFile>("multipart/form-data", "application/octet-stream", "application/x-tar")
            .DisableAntiforgery();

        api.MapGet("/boards", ListAsync).WithName("ListBoards").WithSummary("Published election boards, newest first");
        api.MapGet("/boards/{uuid}", GetAsync).WithName("GetBoardReport").WithSummary("The verification report of a published board");
        api.MapGet("/boards/{uuid}/board", DownloadAsync).WithName("DownloadBoard").WithSummary("Download a published board (.bel) to verify it yourself");
    }

    internal static async Task<Results<Ok<VerificationReport>, ProblemHttpResult>> VerifyAsync(HttpContext context, VerificationService service, CancellationToken ct)
    {
        var max = service.Options.MaxUploadBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max + (1 << 20);
        }
        if (context.Request.ContentLength > max + (1 << 20))
        {
            return Error.Validation("board", $"is larger than {max / (1 << 20)} MiB; verify it with 'socle vote verify' instead").ToProblem();
        }
        Stream body;
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = max + (1 << 20), BufferBodyLengthLimit = max + (1 << 20) }, ct);
            if (form.Files.GetFile("board") is not { } file)
            {
                return Error.Validation("board", "is required: a multipart field named 'board' holding the .bel file").ToProblem();
            }
            body = file.OpenReadStream();
        }
        else
        {
            body = context.Request.Body;
        }
        await using (body)
        {
            var result = await service.VerifyAsync(body, ct);
            return result.IsSuccess ? TypedResults.Ok(result.Value) : result.Error.ToProblem();
        }
    }

    internal static async Task<Ok<IReadOnlyList<PublishedBoard>>> ListAsync(BoardStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(200, ct));

    internal static async Task<Results<Ok<VerificationReport>, ProblemHttpResult>> GetAsync(string uuid, BoardStore store, CancellationToken ct) =>
        await store.GetReportAsync(uuid, ct) is { } report ? TypedResults.Ok(report) : Error.NotFound($"The board of election {uuid}").ToProblem();

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(string uuid, BoardStore store, CancellationToken ct) =>
        await store.GetBoardAsync(uuid, ct) is { } bytes
            ? TypedResults.File(bytes, "application/x-tar", $"{uuid}.bel")
            : Error.NotFound($"The board of election {uuid}").ToProblem();
}
