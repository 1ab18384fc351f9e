using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Service;
using Socle.Modules.Voting.Verification;
using Socle.Testing;

namespace Socle.Voting.Tests;

/// <summary>The election service end to end through its HTTP API: lifecycle, casting, tally, archive, and its refusals.</summary>
public class ElectionServiceTests
{
    private const string Roll = "id,email,name,weight\nv1,v1@example.org,Alice Martin,1\nv2,v2@example.org,Bruno Petit,1\nv3,v3@example.org,\"Chloé, Durand\",1\nv4,v4@example.org,Driss Amrani,1\n";

    private static async Task<(VotingFactory Factory, ElectionDriver Driver, FakeClock Clock, CapturingMailer Mail, LogSink Logs)> StartAsync(string provider, string integritySeconds = "0")
    {
        var clock = new FakeClock(DateTimeOffset.UtcNow);
        var mail = new CapturingMailer();
        var logs = new LogSink();
        var factory = await VotingFactory.StartAsync(provider, s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(clock);
            s.RemoveAll<IVotingMailer>();
            s.AddSingleton<IVotingMailer>(mail);
            s.AddSingleton<ILoggerProvider>(logs);
        }, ("Socle:Voting:IntegrityCheckSeconds", integritySeconds));
        return (factory, new ElectionDriver(factory.CreateClient()), clock, mail, logs);
    }

    [Theory, StorageProviders]
    public async Task A_whole_election_runs_and_its_archive_verifies(string provider)
    {
        var (factory, e, clock, _, logs) = await StartAsync(provider);
        await using var _f = factory;
        await e.CreateAsync(ElectionDriver.Definition(), Roll);
        await e.SetupAsync(2, Groups.Ed25519);
        await e.CredentialsByFileAsync();
        var election = await e.OpenAsync();
        Assert.Equal(e.Id, election.Uuid);

        var s1 = await e.LoginAsync("v1");
        var first = ElectionDriver.Encrypt(election, e.Credentials["v1"].Credential, [0, 1, 0, 0], [1, 0]);
        var r1 = await ElectionDriver.OkJson(await e.CastAsync(s1, first, "v1-a"));
        // A retry of the same request (same key) gets the same receipt and adds nothing.
        var again = await ElectionDriver.OkJson(await e.CastAsync(s1, first, "v1-a"));
        Assert.Equal(r1.GetProperty("trackingNumber").GetString(), again.GetProperty("trackingNumber").GetString());
        // v1 votes again (B): the last ballot counts.
        var second = await ElectionDriver.OkJson(await e.CastAsync(s1, ElectionDriver.Encrypt(election, e.Credentials["v1"].Credential, [0, 0, 1, 0], [1, 0]), "v1-b"));
        Assert.True(second.GetProperty("replaced").GetBoolean());
        // Replaying v1's first ballot (to undo the revote) is refused.
        Assert.Equal("replayed", await ElectionDriver.ProblemCode(await e.CastAsync(s1, first, "v1-c"), HttpStatusCode.Conflict));
        var s2 = await e.LoginAsync("v2");
        await ElectionDriver.OkJson(await e.CastAsync(s2, ElectionDriver.Encrypt(election, e.Credentials["v2"].Credential, [1, 0, 0, 0], [0, 1]))); // blank
        var s3 = await e.LoginAsync("v3");
        await ElectionDriver.OkJson(await e.CastAsync(s3, ElectionDriver.Encrypt(election, e.Credentials["v3"].Credential, [0, 0, 0, 1], [1, 0])));

        // The voter finds their tracking number in the public ballot box; the émargement list says who voted.
        var box = await ElectionDriver.OkJson(await e.SendAsync(HttpMethod.Get, $"/{e.Id}/ballots"));
        Assert.Equal(4, box.GetArrayLength());
        Assert.Contains(box.EnumerateArray(), b => b.GetProperty("trackingNumber").GetString() == second.GetProperty("trackingNumber").GetString());
        var voters = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Get, "/voters"));
        Assert.Equal(["v1", "v2", "v3"], voters.EnumerateArray().Where(v => v.GetProperty("votedAt").ValueKind != System.Text.Json.JsonValueKind.Null).Select(v => v.GetProperty("voterId").GetString()!));
        var me = await ElectionDriver.OkJson(await e.SendAsync(HttpMethod.Get, $"/{e.Id}/me", s1));
        Assert.Equal(2, me.GetProperty("ballots").GetInt32());

        // Partial counts are impossible while the vote is open.
        Assert.Equal("wrong_state", await ElectionDriver.ProblemCode(await e.Bureau(HttpMethod.Post, "/tally"), HttpStatusCode.Conflict));
        await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/close"));
        Assert.Equal("not_open", await ElectionDriver.ProblemCode(await e.CastAsync(s3, ElectionDriver.Encrypt(election, e.Credentials["v3"].Credential, [0, 1, 0, 0], [0, 1])), HttpStatusCode.Conflict));
        await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/tally"));
        var published = await e.DecryptAsync(election);
        Assert.Equal("published", published.GetProperty("state").GetString());
        // blank, A, B, C — then Oui, Non. v1's first ballot (A) was replaced by B.
        Assert.Equal("{\"result\":[[1,0,1,1],[2,1]]}", published.GetProperty("resultJson").GetString());

        // The downloaded board verifies with our verifier and recomputes the same result.
        var board = await e.BoardAsync();
        var report = BoardVerifier.Verify(new MemoryStream(board));
        Assert.True(report.Ok, report.Problem?.ToString());
        Assert.Equal(4, report.BallotsOnBoard);
        Assert.Equal(3, report.BallotsCounted);
        Assert.Equal("Published", report.State);

        var sealedRow = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/archive"));
        Assert.Equal(Hashing.Sha256Hex(board), sealedRow.GetProperty("sealedSha256").GetString());
        Assert.Equal(HttpStatusCode.OK, (await e.Client.GetAsync($"/api/voting/boards/{e.Id}", TestContext.Current.CancellationToken)).StatusCode);

        // Destruction waits for the appeal period (90 days by default), then leaves only the sealed fingerprint.
        Assert.Equal("appeal_period", await ElectionDriver.ProblemCode(await e.Bureau(HttpMethod.Post, "/destroy"), HttpStatusCode.Conflict));
        clock.Advance(TimeSpan.FromDays(91));
        var destroyed = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/destroy"));
        Assert.Equal("destroyed", destroyed.GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await e.SendAsync(HttpMethod.Get, $"/{e.Id}")).StatusCode);

        // Nothing secret reached the log: no private credential, password or trustee key.
        foreach (var (cred, pw) in e.Credentials.Values)
        {
            Assert.DoesNotContain(logs.Lines, l => l.Contains(cred, StringComparison.Ordinal) || (pw is not null && l.Contains(pw, StringComparison.Ordinal)));
        }
    }

    [Theory, StorageProviders]
    public async Task Server_never_stores_private_credentials_or_secrets(string provider)
    {
        var (factory, e, _, _, _) = await StartAsync(provider);
        await using var _f = factory;
        await e.CreateAsync(ElectionDriver.Definition(), Roll);
        await e.SetupAsync(1, Groups.Ed25519);
        await e.CredentialsByFileAsync();
        var election = await e.OpenAsync();
        var s1 = await e.LoginAsync("v1");
        await ElectionDriver.OkJson(await e.CastAsync(s1, ElectionDriver.Encrypt(election, e.Credentials["v1"].Credential, [0, 1, 0, 0], [1, 0])));

        // Every table of the election's database and of the main one, as text.
        var store = factory.Services.GetRequiredService<ElectionStore>();
        var dump = new StringBuilder();
        foreach (var db in new[] { store.Open(e.Id), factory.Database.Database })
        {
            await using var c = await db.OpenAsync(TestContext.Current.CancellationToken);
            var tables = db.IsPostgres
                ? await c.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
                : await c.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'table'");
            foreach (var t in tables)
            {
                foreach (IDictionary<string, object?> row in await c.QueryAsync($"SELECT * FROM {t}"))
                {
                    dump.AppendJoin('|', row.Values.Select(v => v is byte[] b ? Encoding.UTF8.GetString(b) : v?.ToString())).Append('\n');
                }
            }
        }
        var text = dump.ToString();
        Assert.Contains(e.Credentials["v1"].Password is null ? "" : "pbkdf2-sha512$", text, StringComparison.Ordinal);
        foreach (var (cred, pw) in e.Credentials.Values)
        {
            Assert.DoesNotContain(cred, text, StringComparison.Ordinal);
            Assert.DoesNotContain(pw!, text, StringComparison.Ordinal);
        }
        foreach (var (token, _, x) in e.Trustees)
        {
            Assert.DoesNotContain(Zq.ToText(x), text, StringComparison.Ordinal);
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }
        Assert.DoesNotContain(e.AdminToken, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ballots_from_unknown_credentials_outside_hours_or_without_sign_in_are_refused()
    {
        var (factory, e, clock, _, _) = await StartAsync(TestDatabase.Sqlite);
        await using var _f = factory;
        await e.CreateAsync(ElectionDriver.Definition(revote: false), Roll);
        await e.SetupAsync(1, Groups.Ed25519);
        await e.CredentialsByFileAsync();
        var election = await e.OpenAsync();
        var s1 = await e.LoginAsync("v1");

        // A credential that is not v1's (made up, or another voter's) is refused, and nothing is written.
        var forged = ElectionDriver.Encrypt(election, Credentials.NewPrivate(), [0, 1, 0, 0], [1, 0]);
        Assert.Equal("wrong_credential", await ElectionDriver.ProblemCode(await e.CastAsync(s1, forged), HttpStatusCode.UnprocessableEntity));
        var v2s = ElectionDriver.Encrypt(election, e.Credentials["v2"].Credential, [0, 1, 0, 0], [1, 0]);
        Assert.Equal("wrong_credential", await ElectionDriver.ProblemCode(await e.CastAsync(s1, v2s), HttpStatusCode.UnprocessableEntity));
        // A ballot with a flipped proof digit.
        var good = ElectionDriver.Encrypt(election, e.Credentials["v1"].Credential, [0, 1, 0, 0], [1, 0]);
        var tampered = BoardEditor.FlipDigit(good, "response", occurrence: 1);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await e.CastAsync(s1, tampered)).StatusCode);
        // Not signed in.
        Assert.Equal(HttpStatusCode.Unauthorized, (await e.CastAsync("not-a-session", good)).StatusCode);
        Assert.Empty((await ElectionDriver.OkJson(await e.SendAsync(HttpMethod.Get, $"/{e.Id}/ballots"))).EnumerateArray());

        // Outside the opening hours set by the bureau.
        var now = clock.GetUtcNow();
        await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Put, "/times", JsonContent.Create(new { opensAt = now.AddMinutes(-5), closesAt = now.AddHours(1) })));
        clock.Advance(TimeSpan.FromHours(2));
        s1 = await e.LoginAsync("v1");
        Assert.Equal("outside_hours", await ElectionDriver.ProblemCode(await e.CastAsync(s1, good), HttpStatusCode.Conflict));
        clock.Advance(TimeSpan.FromHours(-2));
        await ElectionDriver.OkJson(await e.CastAsync(s1, good));
        // No revote in this election.
        Assert.Equal("already_voted", await ElectionDriver.ProblemCode(await e.CastAsync(s1, ElectionDriver.Encrypt(election, e.Credentials["v1"].Credential, [1, 0, 0, 0], [1, 0])), HttpStatusCode.Conflict));

        // The bureau's and trustees' endpoints need their tokens.
        Assert.Equal(HttpStatusCode.Unauthorized, (await e.SendAsync(HttpMethod.Post, $"/{e.Id}/close")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await e.SendAsync(HttpMethod.Post, $"/{e.Id}/close", e.Trustees[0].Token)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await e.SendAsync(HttpMethod.Get, $"/{e.Id}/trustee", e.AdminToken)).StatusCode);
    }

    [Fact]
    public async Task Voters_sign_in_with_a_one_time_code_and_the_roll_cannot_be_probed()
    {
        var (factory, e, clock, mail, logs) = await StartAsync(TestDatabase.Sqlite);
        await using var _f = factory;
        await e.CreateAsync(ElectionDriver.Definition(auth: "code"), Roll);
        await e.SetupAsync(1, Groups.Ed25519);
        await e.CredentialsByFileAsync();
        await e.OpenAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await e.SendAsync(HttpMethod.Post, $"/{e.Id}/login/code", null, JsonContent.Create(new { voterId = "nobody" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await e.SendAsync(HttpMethod.Post, $"/{e.Id}/login/code", null, JsonContent.Create(new { voterId = "v2" }))).StatusCode);
        Assert.Single(mail.Sent, m => m.Subject.Contains("code de connexion", StringComparison.Ordinal));
        var code = mail.LastCodeFor("v2@example.org");
        var wrong = code == "00000000" ? "00000001" : "00000000";
        Assert.Equal(HttpStatusCode.Unauthorized, (await e.SendAsync(HttpMethod.Post, $"/{e.Id}/login", null, JsonContent.Create(new { voterId = "v2", secret = wrong }))).StatusCode);
        Assert.NotEmpty(await e.LoginAsync("v2", code));
        // A code works once.
        Assert.Equal(HttpStatusCode.Unauthorized, (await e.SendAsync(HttpMethod.Post, $"/{e.Id}/login", null, JsonContent.Create(new { voterId = "v2", secret = code }))).StatusCode);
        // Expired codes are refused.
        await e.SendAsync(HttpMethod.Post, $"/{e.Id}/login/code", null, JsonContent.Create(new { voterId = "v3" }));
        var late = mail.LastCodeFor("v3@example.org");
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(HttpStatusCode.Unauthorized, (await e.SendAsync(HttpMethod.Post, $"/{e.Id}/login", null, JsonContent.Create(new { voterId = "v3", secret = late }))).StatusCode);
        // Five wrong guesses lock the code.
        await e.SendAsync(HttpMethod.Post, $"/{e.Id}/login/code", null, JsonContent.Create(new { voterId = "v4" }));
        var right = mail.LastCodeFor("v4@example.org");
        for (var i = 0; i < 5; i++)
        {
            await e.SendAsync(HttpMethod.Post, $"/{e.Id}/login", null, JsonContent.Create(new { voterId = "v4", secret = "1234567" + i }));
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await e.SendAsync(HttpMethod.Post, $"/{e.Id}/login", null, JsonContent.Create(new { voterId = "v4", secret = right }))).StatusCode);
        Assert.DoesNotContain(logs.Lines, l => l.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Roll_import_names_each_bad_line_and_imports_nothing()
    {
        var (factory, e, _, _, _) = await StartAsync(TestDatabase.Sqlite);
        await using var _f = factory;
        await e.CreateAsync(ElectionDriver.Definition(), "id,email\nok1,ok1@example.org\n");
        var bad = "id,email,weight\nv1,v1@example.org,1\nv2,not-an-email,1\n,x@example.org,1\nv4,v4@example.org,0\nv1,v1b@example.org,1\n";
        var r = await e.Bureau(HttpMethod.Post, "/voters", new StringContent(bad, Encoding.UTF8, "text/csv"));
        var text = await r.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("line 3", text, StringComparison.Ordinal);
        Assert.Contains("not-an-email", text, StringComparison.Ordinal);
        Assert.Contains("line 4", text, StringComparison.Ordinal);
        Assert.Contains("line 5", text, StringComparison.Ordinal);
        Assert.Contains("line 6", text, StringComparison.Ordinal);
        var voters = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Get, "/voters"));
        Assert.Equal(["ok1"], voters.EnumerateArray().Select(v => v.GetProperty("voterId").GetString()!));
        // A definition error names the field.
        var d = ElectionDriver.Definition() with { Questions = [new QuestionDefinition("Q", ["A", "B"], Min: 2, Max: 1)] };
        var put = await e.Bureau(HttpMethod.Put, "", JsonContent.Create(d, options: ElectionDriver.Web));
        Assert.Contains("questions[0].max", await put.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mixed_paper_and_internet_voters_cannot_vote_twice()
    {
        var (factory, e, _, _, _) = await StartAsync(TestDatabase.Sqlite);
        await using var _f = factory;
        await e.CreateAsync(ElectionDriver.Definition(), Roll);
        await e.SetupAsync(1, Groups.Ed25519);
        await e.CredentialsByFileAsync();
        var election = await e.OpenAsync();
        var s1 = await e.LoginAsync("v1");
        await ElectionDriver.OkJson(await e.CastAsync(s1, ElectionDriver.Encrypt(election, e.Credentials["v1"].Credential, [0, 1, 0, 0], [1, 0])));

        var internet = await e.Bureau(HttpMethod.Get, "/voters/internet.csv");
        var csv = await internet.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.StartsWith("voter_id,name,voted_at\nv1,Alice Martin,", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("v2", csv, StringComparison.Ordinal);

        // v1 voted online: their paper vote is refused; v2 voted on paper and can no longer vote online.
        Assert.Equal("voted_online", await ElectionDriver.ProblemCode(await e.Bureau(HttpMethod.Post, "/voters/paper", new StringContent("id\nv1\nv2\n", Encoding.UTF8, "text/csv")), HttpStatusCode.Conflict));
        await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/voters/paper", new StringContent("id\nv2\n", Encoding.UTF8, "text/csv")));
        Assert.Equal(HttpStatusCode.Forbidden, (await e.SendAsync(HttpMethod.Post, $"/{e.Id}/login", null, JsonContent.Create(new { voterId = "v2", secret = e.Credentials["v2"].Password }))).StatusCode);
    }

    [Theory, StorageProviders]
    public async Task Integrity_monitor_detects_tampering(string provider)
    {
        // The monitor is on (its timer far off: the checks below are asked for), so the cast path hands it the ballots
        // it found valid; a ballot rewritten afterwards must still be caught.
        var (factory, e, _, _, _) = await StartAsync(provider, integritySeconds: "3600");
        await using var _f = factory;
        await e.CreateAsync(ElectionDriver.Definition(), Roll);
        await e.SetupAsync(1, Groups.Ed25519);
        await e.CredentialsByFileAsync();
        var election = await e.OpenAsync();
        foreach (var v in new[] { "v1", "v2" })
        {
            var s = await e.LoginAsync(v);
            await ElectionDriver.OkJson(await e.CastAsync(s, ElectionDriver.Encrypt(election, e.Credentials[v].Credential, [0, 1, 0, 0], [1, 0])));
        }
        var ok = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Get, "/integrity"));
        Assert.True(ok.GetProperty("ok").GetBoolean());

        // Someone with database access removes v2's mark from the émargement list.
        var db = factory.Services.GetRequiredService<ElectionStore>().Open(e.Id);
        await using (var c = await db.OpenAsync(TestContext.Current.CancellationToken))
        {
            await c.ExecuteAsync("UPDATE voters SET ballots = 0, voted_at = NULL WHERE voter_id = 'v2'");
        }
        var alert = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Get, "/integrity"));
        Assert.False(alert.GetProperty("ok").GetBoolean());
        Assert.Contains("émargement", alert.GetProperty("problem").GetString(), StringComparison.Ordinal);

        // Someone rewrites a ballot on the board.
        await using (var c = await db.OpenAsync(TestContext.Current.CancellationToken))
        {
            await c.ExecuteAsync("UPDATE voters SET ballots = 1 WHERE voter_id = 'v2'");
            var name = await c.QuerySingleAsync<string>("SELECT data_name FROM ballots ORDER BY height LIMIT 1");
            var content = await c.QuerySingleAsync<string>("SELECT content FROM board WHERE name = @name", new { name });
            await c.ExecuteAsync("UPDATE board SET content = @x WHERE name = @name", new { x = BoardEditor.FlipDigit(content, "response", occurrence: 1), name });
        }
        var tampered = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Get, "/integrity"));
        Assert.Contains("does not verify", tampered.GetProperty("problem").GetString(), StringComparison.Ordinal);
        var alerts = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Get, "/alerts"));
        Assert.Equal(2, alerts.GetArrayLength());
    }

    [Theory, StorageProviders]
    public async Task Integrity_checks_during_a_burst_of_casts_raise_no_false_alert(string provider)
    {
        var (factory, e, _, mail, _) = await StartAsync(provider);
        await using var _f = factory;
        const int voters = 40;
        await e.CreateAsync(ElectionDriver.Definition(auth: "code"), "id,email\n" + string.Concat(Enumerable.Range(1, voters).Select(i => $"b{i},b{i}@example.org\n")));
        await e.SetupAsync(1, Groups.Ed25519);
        await e.CredentialsByFileAsync();
        var election = await e.OpenAsync();
        var casts = new List<(string Session, string Ballot)>();
        for (var i = 1; i <= voters; i++)
        {
            await ElectionDriver.OkJson(await e.SendAsync(HttpMethod.Post, $"/{e.Id}/login/code", null, JsonContent.Create(new { voterId = $"b{i}" })));
            var session = await e.LoginAsync($"b{i}", mail.LastCodeFor($"b{i}@example.org"));
            casts.Add((session, ElectionDriver.Encrypt(election, e.Credentials[$"b{i}"].Credential, [0, i % 2, 1 - (i % 2), 0], [1, 0])));
        }

        // The bureau's checks run while ballots are being recorded: the board and the émargement list are read in one
        // snapshot, so a ballot recorded between the two reads never looks like a difference.
        var burst = Task.WhenAll(casts.Select(c => Task.Run(async () => await ElectionDriver.OkJson(await e.CastAsync(c.Session, c.Ballot)))));
        var checks = 0;
        while (!burst.IsCompleted || checks == 0)
        {
            var status = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Get, "/integrity"));
            Assert.True(status.GetProperty("ok").GetBoolean(), status.ToString());
            checks++;
        }
        await burst;
        var final = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Get, "/integrity"));
        Assert.True(final.GetProperty("ok").GetBoolean(), final.ToString());
        Assert.Equal(voters, final.GetProperty("ballots").GetInt32());
        Assert.Equal(0, (await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Get, "/alerts"))).GetArrayLength());
    }

    [Theory, StorageProviders]
    public async Task A_threshold_election_needs_the_server_and_any_two_of_its_three_trustees(string provider)
    {
        var (factory, e, _, _, _) = await StartAsync(provider);
        await using var _f = factory;
        var group = Groups.Ed25519;
        await e.CreateAsync(ElectionDriver.Definition() with { Threshold = 2 }, Roll);
        var tokens = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            tokens.Add((await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/trustees", JsonContent.Create(new { name = $"Assesseur {i}" })))).GetProperty("token").GetString()!);
        }
        await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/setup"));
        Assert.Equal("threshold_ceremony_started", await ElectionDriver.ProblemCode(await e.Bureau(HttpMethod.Post, "/trustees", JsonContent.Create(new { name = "Late" })), HttpStatusCode.Conflict));
        var single = TrusteeKeys.GenerateSingle(group).PublicKey.ToJson();
        Assert.Equal("threshold_ceremony", await ElectionDriver.ProblemCode(await e.SendAsync(HttpMethod.Post, $"/{e.Id}/trustee/key", tokens[0], new StringContent(single, Encoding.UTF8, "application/json")), HttpStatusCode.Conflict));

        async Task<JsonElement> Status(int i) => (await ElectionDriver.OkJson(await e.SendAsync(HttpMethod.Get, $"/{e.Id}/trustee", tokens[i]))).GetProperty("threshold");
        Task<HttpResponseMessage> Step(int i, string step, string json) => e.SendAsync(HttpMethod.Post, $"/{e.Id}/trustee/{step}", tokens[i], new StringContent(json, Encoding.UTF8, "application/json"));

        // Step 1: certificates. A certificate made for another position is refused, naming the field.
        var wrong = ThresholdKeys.Certificate(group, 3, 2, 2).Certificate.ToJson();
        Assert.Equal("validation", await ElectionDriver.ProblemCode(await Step(0, "certificate", wrong), HttpStatusCode.BadRequest));
        var seeds = new string[3];
        for (var i = 0; i < 3; i++)
        {
            var status = await Status(i);
            Assert.Equal(("certificate", i + 1, 3, 2), (status.GetProperty("phase").GetString(), status.GetProperty("position").GetInt32(), status.GetProperty("size").GetInt32(), status.GetProperty("threshold").GetInt32()));
            var cert = ThresholdKeys.Certificate(group, 3, 2, i + 1);
            seeds[i] = cert.Seed;
            await ElectionDriver.OkJson(await Step(i, "certificate", cert.Certificate.ToJson()));
        }
        Assert.Equal("out_of_turn", await ElectionDriver.ProblemCode(await Step(0, "certificate", wrong), HttpStatusCode.Conflict));

        // Step 3: polynomials, from the certificates as the server lists them; then step 5: outputs from the routed shares.
        var certs = JsonDocument.Parse((await Status(0)).GetProperty("certificatesJson").GetString()!).RootElement.EnumerateArray()
            .Select(c => SignedMessage.Read(c, "certificate", group.Order)).ToList();
        for (var i = 0; i < 3; i++)
        {
            await ElectionDriver.OkJson(await Step(i, "polynomial", ThresholdKeys.Polynomial(group, certs, seeds[i]).ToJson()));
        }
        for (var i = 0; i < 3; i++)
        {
            var input = ThresholdInput.Parse((await Status(i)).GetProperty("inputJson").GetString()!, group);
            await ElectionDriver.OkJson(await Step(i, "output", ThresholdKeys.Output(group, certs, seeds[i], input).ToJson()));
        }
        Assert.Equal("done", (await Status(2)).GetProperty("phase").GetString());

        await e.CredentialsByFileAsync();
        var election = await e.OpenAsync();
        int[][][] votes = [[[0, 1, 0, 0], [1, 0]], [[0, 0, 1, 0], [0, 1]], [[1, 0, 0, 0], [1, 0]]];
        for (var i = 0; i < votes.Length; i++)
        {
            var v = $"v{i + 1}";
            await ElectionDriver.OkJson(await e.CastAsync(await e.LoginAsync(v), ElectionDriver.Encrypt(election, e.Credentials[v].Credential, votes[i])));
        }
        await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/close"));
        await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/tally"));

        // Trustees 3 and 1 decrypt with their key shares (opened from their seeds); trustee 2 is not needed.
        async Task<JsonElement> Decrypt(int i)
        {
            var task = await ElectionDriver.OkJson(await e.SendAsync(HttpMethod.Get, $"/{e.Id}/trustee", tokens[i]));
            var tally = EncryptedTally.Parse(task.GetProperty("encryptedTallyJson").GetString()!, group);
            var encryptedKey = ThresholdOutput.Parse(task.GetProperty("threshold").GetProperty("encryptedKeyJson").GetString()!, group).PrivateKey;
            var share = ThresholdKeys.OpenDecryptionKey(group, seeds[i], encryptedKey);
            return await ElectionDriver.OkJson(await e.SendAsync(HttpMethod.Post, $"/{e.Id}/trustee/decryption", tokens[i],
                new StringContent(Tallying.Decrypt(election, tally, share).ToJson(), Encoding.UTF8, "application/json")));
        }
        Assert.Equal("tallied", (await Decrypt(2)).GetProperty("state").GetString());
        var published = await Decrypt(0);
        Assert.Equal("published", published.GetProperty("state").GetString());
        Assert.Equal("{\"result\":[[1,1,1,0],[2,1]]}", published.GetProperty("resultJson").GetString());

        var report = BoardVerifier.Verify(new MemoryStream(await e.BoardAsync()));
        Assert.True(report.Ok, report.Problem?.ToString());
        Assert.Equal(3, report.BallotsCounted);
    }

    [Fact]
    public async Task The_risk_questionnaire_and_each_elections_CNIL_compliance_report_are_served()
    {
        var (factory, e, _, _, _) = await StartAsync(TestDatabase.Sqlite);
        await using var _f = factory;
        var ct = TestContext.Current.CancellationToken;

        // Anyone may answer the questionnaire: staff representatives in a tense climate are level 3.
        var staff = new { kind = "staff_representatives", voters = 2400, stakes = "high", conflictOrTension = true, pastIncidentsOrDisputes = false, administratorIsNeutral = true, threatResources = "medium", threatMotivation = "medium" };
        var assessed = await ElectionDriver.OkJson(await e.Client.PostAsJsonAsync("/api/voting/risk", staff, ct));
        Assert.Equal(3, assessed.GetProperty("level").GetInt32());
        Assert.Equal("ConflictOrTension", assessed.GetProperty("reasons")[0].GetProperty("question").GetString());
        Assert.Contains(assessed.GetProperty("objectives").EnumerateArray(), o => o.GetProperty("id").GetString() == "3-05");
        var bad = await e.Client.PostAsJsonAsync("/api/voting/risk", new { kind = "referendum", voters = -3, stakes = "high" }, ct);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("errors");
        Assert.Contains("must be one of community, staff_representatives", errors.GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("voters", out _));
        Assert.True(errors.TryGetProperty("threatMotivation", out _));

        // The same questionnaire as a page that works without JavaScript: a small association is level 1.
        var page = await e.Client.GetStringAsync("/voting/risk?kind=community&voters=150&stakes=low&conflict=false&incidents=false&neutral=true&resources=low&motivation=low", ct);
        Assert.Contains("Niveau 1", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<th scope=\"row\">2-01</th>", page, StringComparison.Ordinal);

        // The bureau's report for a level-3 election: every objective up to 3-05, each with a status from its settings.
        await e.CreateAsync(ElectionDriver.Definition() with { RiskLevel = 3 }, Roll);
        Assert.Equal(HttpStatusCode.Unauthorized, (await e.SendAsync(HttpMethod.Get, $"/{e.Id}/compliance")).StatusCode);
        var report = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Get, "/compliance"));
        Assert.Equal(3, report.GetProperty("level").GetInt32());
        var findings = report.GetProperty("findings").EnumerateArray().ToDictionary(f => f.GetProperty("id").GetString()!, f => f);
        Assert.Contains("1-01", findings.Keys);
        Assert.Contains("3-05", findings.Keys);
        Assert.DoesNotContain("RQ-4", findings.Keys); // no paper voters: the mixed-vote rule does not apply
        // This test server runs without the integrity monitor: objective 2-02 says so.
        Assert.Equal("not_met", findings["2-02"].GetProperty("status").GetString());
        Assert.Contains("moniteur", findings["2-02"].GetProperty("reason").GetProperty("fr").GetString(), StringComparison.Ordinal);
        Assert.False(report.GetProperty("nothingNotMet").GetBoolean());
        Assert.Equal(findings.Count, report.GetProperty("met").GetInt32() + report.GetProperty("notMet").GetInt32() + report.GetProperty("organisationalMeasures").GetInt32());

        // Paper voters make it a mixed vote: the rule against double votes now applies.
        await e.SetupAsync(1, Groups.Ed25519);
        await e.CredentialsByFileAsync();
        await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/voters/paper", new StringContent("id\nv4\n", Encoding.UTF8, "text/csv")));
        var mixed = await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Get, "/compliance"));
        Assert.Contains(mixed.GetProperty("findings").EnumerateArray(), f => f.GetProperty("id").GetString() == "RQ-4");
    }

    [Fact]
    public async Task A_BELENIOS_2048_election_run_by_the_service_passes_Debians_belenios_tool()
    {
        var (factory, e, _, _, _) = await StartAsync(TestDatabase.Sqlite);
        await using var _f = factory;
        await e.CreateAsync(ElectionDriver.Definition(group: "BELENIOS-2048"), Roll);
        await e.SetupAsync(2, Groups.Belenios2048);
        await e.CredentialsByFileAsync();
        var election = await e.OpenAsync();
        int[][][] votes = [[[0, 1, 0, 0], [1, 0]], [[1, 0, 0, 0], [0, 1]], [[0, 1, 0, 0], [0, 1]]];
        for (var i = 0; i < votes.Length; i++)
        {
            var v = $"v{i + 1}";
            await ElectionDriver.OkJson(await e.CastAsync(await e.LoginAsync(v), ElectionDriver.Encrypt(election, e.Credentials[v].Credential, votes[i])));
        }
        await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/close"));
        await ElectionDriver.OkJson(await e.Bureau(HttpMethod.Post, "/tally"));
        var published = await e.DecryptAsync(election);
        Assert.Equal("{\"result\":[[1,2,0,0],[1,2]]}", published.GetProperty("resultJson").GetString());

        var dir = Directory.CreateTempSubdirectory("socle-service-belenios-").FullName;
        await File.WriteAllBytesAsync(Path.Combine(dir, $"{e.Id}.bel"), await e.BoardAsync(), TestContext.Current.CancellationToken);
        var ours = await Cli.OkAsync("vote", "verify", dir, "--json");
        Assert.Contains("\"ok\": true", ours.StdOut, StringComparison.Ordinal);
        var belenios = await Cli.ProcessAsync("belenios-tool", dir, "election", "verify", "--dir", dir);
        Assert.True(belenios.ExitCode == 0, belenios.ToString());
        Assert.Contains("all checks passed", belenios.StdErr + belenios.StdOut, StringComparison.Ordinal);
        Directory.Delete(dir, true);
    }
}

/// <summary>Keeps every formatted log line, to check that no secret is ever logged.</summary>
public sealed class LogSink : ILoggerProvider
{
    public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Lines.Enqueue(formatter(state, exception) + (exception is null ? "" : " " + exception));
    }
}
