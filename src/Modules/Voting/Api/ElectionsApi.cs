using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Socle.Modules.Voting.Service;
using Socle.Platform;
using Socle.Platform.Web;

namespace Socle.Modules.Voting.Api;

/// <summary>
/// <c>/api/voting/elections</c>: the election service. Three kinds of callers, each with a bearer token:
/// the bureau (the token given when the election was created), a trustee (the secret of their personal link) and a
/// voter (the session given at sign-in). Public reads (description, ballot box, result, board) need none.
/// </summary>
public static class ElectionsApi
{
    public sealed record TrusteeRequest(string Name, string? Email);

    public sealed record TimesRequest(DateTimeOffset? OpensAt, DateTimeOffset? ClosesAt);

    public sealed record CredentialsRequest(string Channel);

    public sealed record LoginRequest(string VoterId, string? Secret);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/voting/elections").WithTags("Voting elections").DisableAntiforgery();

        api.MapGet("/", async (ElectionService s, CancellationToken ct) => Results.Ok(await s.ListAsync(ct)))
            .WithSummary("Elections on this server (id, name, state)");
        api.MapPost("/", CreateAsync).WithSummary("Create an election (draft); the answer holds the bureau's token, shown once");
        api.MapGet("/{id}", async (string id, ElectionService s, CancellationToken ct) => Http(await s.GetAsync(id, ct)))
            .WithSummary("The election: description, notice, questions, state, counts, trustees, result");
        api.MapPut("/{id}", (string id, ElectionDefinition d, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.UpdateDefinitionAsync(id, d, ct))).WithSummary("Bureau: change the definition (draft only)");
        api.MapPut("/{id}/times", (string id, TimesRequest t, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.SetTimesAsync(id, t.OpensAt, t.ClosesAt, ct))).WithSummary("Bureau: set the opening and closing times");
        api.MapPost("/{id}/voters", async (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
        {
            var csv = await ReadTextAsync(h, ct);
            return await Bureau(h, s, id, ct, async () => (await s.ImportVotersAsync(id, csv, ct)).Map(n => new { imported = n }));
        }).WithSummary("Bureau: import voters (text/csv with a header: id, email, name, weight)");
        api.MapGet("/{id}/voters", (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.EmargementAsync(id, ct))).WithSummary("Bureau: the émargement list (who voted and when, never how)");
        api.MapGet("/{id}/voters/internet.csv", async (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
        {
            if (await s.AuthoriseBureauAsync(id, BearerToken(h), ct) is { } e)
            {
                return e.ToProblem();
            }
            var csv = await s.InternetVotersCsvAsync(id, ct);
            return csv.IsSuccess ? Results.Text(csv.Value, "text/csv", Encoding.UTF8) : csv.Error!.ToProblem();
        }).WithSummary("Bureau: voters who voted online (mixed paper and internet: set their paper ballots aside)");
        api.MapPost("/{id}/voters/paper", async (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
        {
            var csv = await ReadTextAsync(h, ct);
            return await Bureau(h, s, id, ct, async () => (await s.ImportPaperVotersAsync(id, csv, ct)).Map(n => new { paper = n }));
        }).WithSummary("Bureau: voters who voted on paper (CSV with an id column); they cannot vote online");
        api.MapPost("/{id}/trustees", (string id, TrusteeRequest t, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, async () => (await s.AddTrusteeAsync(id, t.Name, t.Email, ct)).Map(x => new { index = x.Index, token = x.Token, link = $"/voting/elections/{id}/trustee#{x.Token}" })))
            .WithSummary("Bureau: add a trustee; the answer holds their personal link, shown once");
        api.MapPost("/{id}/setup", (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.StartSetupAsync(id, ct))).WithSummary("Bureau: freeze the questions and start the key ceremony");
        api.MapPost("/{id}/credentials", (string id, CredentialsRequest r, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.GenerateCredentialsAsync(id, r.Channel, ct)))
            .WithSummary("Credential authority: generate and deliver credentials (channel 'email', or 'file' returned once for postal delivery)");
        api.MapPut("/{id}/credentials", async (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
        {
            var json = await ReadTextAsync(h, ct);
            return await Bureau(h, s, id, ct, async () => (await s.ImportPublicCredentialsAsync(id, json, ct)).Map(n => new { credentials = n }));
        }).WithSummary("Credential authority: public credentials made offline (public_creds.json with voter ids)");
        api.MapPost("/{id}/open", (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.OpenAsync(id, ct))).WithSummary("Bureau: open the election (creates the board)");
        api.MapPost("/{id}/close", (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.CloseAsync(id, ct))).WithSummary("Bureau: close the vote");
        api.MapPost("/{id}/tally", (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.TallyAsync(id, ct))).WithSummary("Bureau: encrypted tally (after closing only) and the server's partial decryption");
        api.MapPost("/{id}/archive", (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.ArchiveAsync(id, ct))).WithSummary("Bureau: seal the archive (after the result)");
        api.MapPost("/{id}/destroy", (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.DestroyAsync(id, ct))).WithSummary("Bureau: destroy the election's data (after the appeal period)");
        api.MapGet("/{id}/integrity", (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.CheckIntegrityAsync(id, ct))).WithSummary("Bureau: re-verify the board against the émargement list now");
        api.MapGet("/{id}/alerts", (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Bureau(h, s, id, ct, () => s.AlertsAsync(id, ct))).WithSummary("Bureau: integrity alerts");

        api.MapGet("/{id}/trustee", async (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Http(await s.TrusteeTaskAsync(id, BearerToken(h) ?? "", ct))).WithSummary("Trustee: what to do now (make a key, decrypt)");
        api.MapPost("/{id}/trustee/key", async (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Http(await s.UploadTrusteeKeyAsync(id, BearerToken(h) ?? "", await ReadTextAsync(h, ct), ct))).WithSummary("Trustee: public key with its proof, made in the browser");
        foreach (var step in new[] { "certificate", "polynomial", "output" })
        {
            api.MapPost($"/{{id}}/trustee/{step}", async (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
                Http(await s.AddThresholdStepAsync(id, BearerToken(h) ?? "", step, await ReadTextAsync(h, ct), ct)))
                .WithSummary($"Trustee (threshold ceremony): the {step} step, made in the browser");
        }
        api.MapPost("/{id}/trustee/decryption", async (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Http(await s.AddPartialDecryptionAsync(id, BearerToken(h) ?? "", await ReadTextAsync(h, ct), ct))).WithSummary("Trustee: partial decryption with proofs, made in the browser");

        api.MapPost("/{id}/login/code", async (string id, LoginRequest r, ElectionService s, CancellationToken ct) =>
            await s.StartLoginAsync(id, r.VoterId ?? "", ct) is { } e ? e.ToProblem() : Results.Accepted())
            .WithSummary("Voter: send a one-time sign-in code by e-mail (same answer whether or not the id is on the roll)");
        api.MapPost("/{id}/login", async (string id, LoginRequest r, ElectionService s, CancellationToken ct) =>
            Http(await s.LoginAsync(id, r.VoterId ?? "", r.Secret ?? "", ct))).WithSummary("Voter: sign in with the one-time code or password; the answer is a session token");
        api.MapGet("/{id}/me", async (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
            Http(await s.VoterStatusAsync(id, BearerToken(h), ct))).WithSummary("Voter: have I voted, my last tracking number");
        api.MapPost("/{id}/ballots", async (string id, HttpContext h, ElectionService s, CancellationToken ct) =>
        {
            var body = await ReadTextAsync(h, ct);
            var key = h.Request.Headers["Idempotency-Key"].FirstOrDefault();
            return Http(await s.CastAsync(id, BearerToken(h), body.Trim(), key, ct));
        }).WithSummary("Voter: cast a ballot encrypted in the browser (Idempotency-Key header recommended); the answer is the receipt");

        api.MapGet("/{id}/ballots", async (string id, ElectionService s, CancellationToken ct) => Http(await s.BallotBoxAsync(id, ct)))
            .WithSummary("The ballot box: every ballot's tracking number");
        api.MapGet("/{id}/election.json", async (string id, ElectionService s, CancellationToken ct) =>
            (await s.GetAsync(id, ct)) is { IsSuccess: true, Value.ElectionJson: { } json } ? Results.Text(json, "application/json", Encoding.UTF8) : Error.NotFound($"election.json of {id}").ToProblem())
            .WithSummary("The election parameters the booth encrypts for (Belenios election.json)");
        api.MapGet("/{id}/board", async (string id, ElectionService s, CancellationToken ct) =>
            (await s.BoardAsync(id, ct)) is { IsSuccess: true } b ? Results.File(b.Value, "application/x-tar", $"{id}.bel") : (await s.BoardAsync(id, ct)).Error!.ToProblem())
            .WithSummary("The public board (.bel) to verify with socle vote verify or belenios-tool");
    }

    private static async Task<IResult> CreateAsync(ElectionDefinition definition, HttpContext h, ElectionService s, IOptions<VotingOptions> o, CancellationToken ct)
    {
        if (o.Value.OrganiserKey is { Length: > 0 } key && !string.Equals(h.Request.Headers["X-Organiser-Key"].FirstOrDefault(), key, StringComparison.Ordinal))
        {
            return Error.Unauthorized("Creating an election needs the organiser key (X-Organiser-Key).").ToProblem();
        }
        if (o.Value.Election is { Length: > 0 })
        {
            return Error.Forbidden("This process serves one election only; create elections on the main server.").ToProblem();
        }
        var r = await s.CreateAsync(definition, ct);
        return r.IsSuccess ? Results.Created($"/api/voting/elections/{r.Value.Id}", r.Value) : r.Error!.ToProblem();
    }

    private static IResult Http<T>(Result<T> r) => r.IsSuccess ? Results.Ok(r.Value) : r.Error!.ToProblem();

    private static async Task<IResult> Bureau<T>(HttpContext h, ElectionService s, string id, CancellationToken ct, Func<Task<Result<T>>> action) =>
        await s.AuthoriseBureauAsync(id, BearerToken(h), ct) is { } e ? e.ToProblem() : Http(await action());

    internal static string? BearerToken(HttpContext h) =>
        h.Request.Headers.Authorization.FirstOrDefault() is { } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? a[7..].Trim() : null;

    private static async Task<string> ReadTextAsync(HttpContext h, CancellationToken ct) =>
        await RequestText.ReadAsync(h.Request, 4 << 20, ct) ?? throw new BadHttpRequestException("The body is larger than 4 MiB.", 413);
}
