using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Socle.Modules.Voting.Boards;
using Socle.Modules.Voting.Verification;
using Socle.Testing;

namespace Socle.Voting.Tests;

/// <summary>The HTTP API and the pages, on the real server.</summary>
public class HttpTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static ByteArrayContent Raw(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        return content;
    }

    [Fact]
    public async Task Post_verify_returns_the_report_of_a_Belenios_board_sent_raw_or_as_a_form_field()
    {
        await using var factory = await VotingFactory.StartAsync(TestDatabase.Sqlite);
        var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var bytes = await File.ReadAllBytesAsync(ReferenceElections.Board(ReferenceElections.Ed25519), ct);

        var raw = await client.PostAsync("/api/voting/verify", Raw(bytes), ct);
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        var report = (await raw.Content.ReadFromJsonAsync<VerificationReport>(Web, ct))!;
        Assert.True(report.Ok);
        Assert.Equal("RQAkXtFadUmbNp", report.Uuid);
        Assert.Equal(3, report.Result![0].Counts.Single(c => c.Answer == "Bob").Count);

        using var form = new MultipartFormDataContent { { new ByteArrayContent(bytes), "board", "RQAkXtFadUmbNp.bel" } };
        var multipart = await client.PostAsync("/api/voting/verify", form, ct);
        Assert.Equal(HttpStatusCode.OK, multipart.StatusCode);
        Assert.True((await multipart.Content.ReadFromJsonAsync<VerificationReport>(Web, ct))!.Ok);
    }

    [Fact]
    public async Task A_tampered_board_gets_a_report_naming_the_event_and_reason()
    {
        await using var factory = await VotingFactory.StartAsync(TestDatabase.Sqlite);
        var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var editor = new BoardEditor(ReferenceElections.Board(ReferenceElections.Ed25519));
        editor.Steps.Single(s => s.Type == Socle.Modules.Voting.Records.Board.EventType.Result).Payload = "{\"result\":[[1,2,3,2,2]]}";

        var response = await client.PostAsync("/api/voting/verify", Raw(editor.Rechain()), ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        Assert.False(doc.RootElement.GetProperty("ok").GetBoolean());
        var problem = doc.RootElement.GetProperty("problem");
        Assert.Equal("result_mismatch", problem.GetProperty("code").GetString());
        Assert.Equal("Result", problem.GetProperty("eventType").GetString());
        Assert.Equal(15, problem.GetProperty("height").GetInt32());
    }

    [Fact]
    public async Task Empty_oversized_and_unreadable_uploads_are_refused_clearly()
    {
        await using var factory = await VotingFactory.StartAsync(TestDatabase.Sqlite, ("Socle:Voting:MaxUploadBytes", "50000"));
        var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var empty = await client.PostAsync("/api/voting/verify", Raw([]), ct);
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Contains("\"board\"", await empty.Content.ReadAsStringAsync(ct));

        var big = await client.PostAsync("/api/voting/verify", Raw(await File.ReadAllBytesAsync(ReferenceElections.Board(ReferenceElections.Ed25519), ct)), ct);
        Assert.Equal(HttpStatusCode.BadRequest, big.StatusCode);
        Assert.Contains("is larger than", await big.Content.ReadAsStringAsync(ct));

        using var form = new MultipartFormDataContent { { new StringContent("x"), "other" } };
        var missing = await client.PostAsync("/api/voting/verify", form, ct);
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        var junk = await client.PostAsync("/api/voting/verify", Raw("not a tar archive at all, just text"u8.ToArray()), ct);
        Assert.Equal(HttpStatusCode.OK, junk.StatusCode);
        using var doc = JsonDocument.Parse(await junk.Content.ReadAsStringAsync(ct));
        Assert.Equal("archive_malformed", doc.RootElement.GetProperty("problem").GetProperty("code").GetString());
    }

    [Theory, StorageProviders]
    public async Task Published_boards_are_listed_read_and_downloaded(string provider)
    {
        await using var factory = await VotingFactory.StartAsync(provider);
        var ct = TestContext.Current.CancellationToken;
        var bytes = Boards.DemoBytes;
        await factory.Services.GetRequiredService<BoardStore>().PublishAsync(bytes, BoardVerifier.Verify(new MemoryStream(bytes)), ct);
        var client = factory.CreateClient();

        var list = await client.GetFromJsonAsync<List<PublishedBoard>>("/api/voting/boards", Web, ct);
        Assert.Equal(Boards.DemoUuid, Assert.Single(list!).Uuid);
        var report = await client.GetFromJsonAsync<VerificationReport>($"/api/voting/boards/{Boards.DemoUuid}", Web, ct);
        Assert.True(report!.Ok);
        var download = await client.GetAsync($"/api/voting/boards/{Boards.DemoUuid}/board", ct);
        Assert.Equal("application/x-tar", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync(ct));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/voting/boards/Nope1234567890", ct)).StatusCode);

        var page = WebUtility.HtmlDecode(await client.GetStringAsync($"/voting/boards/{Boards.DemoUuid}", ct));
        Assert.Contains("Élection du bureau de l'association", page);
        Assert.Contains("L'urne est vérifiée.", page);
        Assert.Contains("Camille Martin", page);
        var home = WebUtility.HtmlDecode(await client.GetStringAsync("/voting", ct));
        Assert.Contains($"/voting/boards/{Boards.DemoUuid}", home);
    }

    [Fact]
    public async Task The_pages_speak_French_first_and_English_on_request_and_the_API_is_in_OpenAPI()
    {
        await using var factory = await VotingFactory.StartAsync(TestDatabase.Sqlite);
        var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;

        var fr = WebUtility.HtmlDecode(await client.GetStringAsync("/voting", ct));
        Assert.Contains("Vote par internet vérifiable de bout en bout", fr);
        var en = WebUtility.HtmlDecode(await client.GetStringAsync("/lang/en?returnUrl=/voting", ct));
        Assert.Contains("End-to-end verifiable internet voting", en);
        var verify = WebUtility.HtmlDecode(await client.GetStringAsync("/voting/verify", ct));
        Assert.Contains("<label for=\"board\">Board file (.bel)</label>", verify);
        Assert.Contains("name=\"__RequestVerificationToken\"", verify);

        var openapi = await client.GetStringAsync("/openapi/v1.json", ct);
        Assert.Contains("/api/voting/verify", openapi);
        Assert.Contains("/api/voting/boards/{uuid}/board", openapi);
    }

    [Fact]
    public async Task The_verify_form_checks_an_upload_and_shows_the_report()
    {
        await using var factory = await VotingFactory.StartAsync(TestDatabase.Sqlite);
        var client = factory.CreateClient();
        var ct = TestContext.Current.CancellationToken;
        var page = await client.GetStringAsync("/voting/verify", ct);
        var token = System.Text.RegularExpressions.Regex.Match(page, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;

        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("verify-board"), "_handler" },
            { new ByteArrayContent(await File.ReadAllBytesAsync(ReferenceElections.Board(ReferenceElections.Belenios2048), ct)), "board", "8niUiwih3gKY54.bel" },
        };
        var response = await client.PostAsync("/voting/verify", form, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(ct));
        Assert.Contains("L'urne est vérifiée.", html);
        Assert.Contains("8niUiwih3gKY54", html);
        Assert.Contains("BELENIOS-2048", html);

        // Without the antiforgery token the form is refused.
        using var forged = new MultipartFormDataContent
        {
            { new StringContent("verify-board"), "_handler" },
            { new ByteArrayContent([1, 2, 3]), "board", "x.bel" },
        };
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/voting/verify", forged, ct)).StatusCode);
    }
}
