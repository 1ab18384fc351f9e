using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Verification;
using Socle.Testing;

namespace Socle.Voting.Tests;

/// <summary>The server process is killed during a burst of casts; what was receipted must be exactly on the board.</summary>
public class ElectionDurabilityTests
{
    private sealed class Server : IAsyncDisposable
    {
        private readonly Process _process;

        public Server(string connectionString, string work, int port, string? election = null)
        {
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in (string[])[Path.Combine(AppContext.BaseDirectory, "socle.dll"), "serve", "--urls", $"http://127.0.0.1:{port}",
                         "--Socle:Storage:ConnectionString", connectionString, "--Socle:Demo:Seed", "false", "--Socle:DataProtection:KeysDirectory", Path.Combine(work, "keys"),
                         "--Socle:Voting:IntegrityCheckSeconds", "0", "--Logging:LogLevel:Default", "Warning"])
            {
                start.ArgumentList.Add(a);
            }
            if (election is not null)
            {
                start.ArgumentList.Add("--election");
                start.ArgumentList.Add(election);
            }
            _process = Process.Start(start)!;
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
        }

        public HttpClient Client { get; }

        public async Task ReadyAsync()
        {
            for (var i = 0; i < 600; i++)
            {
                try
                {
                    if ((await Client.GetAsync("/health")).IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                }
                Assert.False(_process.HasExited, "the server stopped while starting");
                await Task.Delay(100);
            }
            Assert.Fail("the server did not start within 60 s");
        }

        public void Kill() => _process.Kill(entireProcessTree: true);

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
            await _process.WaitForExitAsync();
            _process.Dispose();
            Client.Dispose();
        }
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Theory, StorageProviders]
    public async Task Killing_the_server_during_a_burst_loses_no_receipted_ballot(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var work = Directory.CreateTempSubdirectory("socle-kill-").FullName;
        const int voters = 60;
        var roll = "id,email\n" + string.Concat(Enumerable.Range(1, voters).Select(i => $"v{i},v{i}@example.org\n"));
        var port = FreePort();
        var receipts = new ConcurrentDictionary<string, string>(StringComparer.Ordinal); // idempotency key -> tracking
        var unanswered = new ConcurrentDictionary<string, (string Session, string Ballot)>(StringComparer.Ordinal);
        ElectionDriver e;
        ElectionRecord election;
        var ballots = new List<(string Voter, string Key, string Ballot, string Tracking)>();
        var sessions = new Dictionary<string, string>(StringComparer.Ordinal);

        await using (var first = new Server(db.ConnectionString, work, port))
        {
            await first.ReadyAsync();
            e = new ElectionDriver(first.Client);
            await e.CreateAsync(ElectionDriver.Definition(), roll);
            await e.SetupAsync(1, Groups.Ed25519);
            await e.CredentialsByFileAsync();
            election = await e.OpenAsync();
            for (var i = 1; i <= voters; i++)
            {
                var v = $"v{i}";
                sessions[v] = await e.LoginAsync(v);
                // Every voter votes again once, every third twice (revote), so the burst also exercises the last-ballot-counts
                // rule, and it outlasts the kill: casts arriving together are committed in groups, so one ballot each
                // could all be answered before the kill landed; a voter's next ballot waits for the previous receipt.
                for (var k = 0; k < (i % 3 == 0 ? 3 : 2); k++)
                {
                    var b = ElectionDriver.Encrypt(election, e.Credentials[v].Credential, [0, 0, (i + k) % 2, 1 - (i + k) % 2], [1, 0]);
                    ballots.Add((v, $"{v}-{k}", b, Ballot.Parse(b, election.Group).TrackingNumber));
                }
            }

            // The burst: every voter casts (in order, for those voting twice); the server is killed after ~30 receipts.
            var killed = new TaskCompletionSource();
            var burst = ballots.GroupBy(b => b.Voter).Select(g => Task.Run(async () =>
            {
                foreach (var (voter, key, ballot, _) in g)
                {
                    try
                    {
                        var r = await e.CastAsync(sessions[voter], ballot, key);
                        if (r.IsSuccessStatusCode)
                        {
                            var receipt = await r.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(ElectionDriver.Web);
                            receipts[key] = receipt.GetProperty("trackingNumber").GetString()!;
                            if (receipts.Count >= 30)
                            {
                                killed.TrySetResult();
                            }
                            continue;
                        }
                        unanswered[key] = (sessions[voter], ballot);
                    }
                    catch (Exception x) when (x is HttpRequestException or TaskCanceledException or IOException)
                    {
                        unanswered[key] = (sessions[voter], ballot);
                    }
                    return; // after a failure this voter stops, as a person would until the service is back
                }
            })).ToList();
            await Task.WhenAny(killed.Task, Task.WhenAll(burst));
            first.Kill();
            await Task.WhenAll(burst);
        }
        Assert.True(receipts.Count >= 30, $"only {receipts.Count} receipts before the kill");
        Assert.True(receipts.Count < ballots.Count, "the kill came after the whole burst");

        // The service comes back (here as the election's own process); voters without an answer retry with the same key.
        var port2 = FreePort();
        await using var second = new Server(db.ConnectionString, work, port2, election: e.Id);
        await second.ReadyAsync();
        var again = e.With(second.Client);
        foreach (var (key, (session, ballot)) in unanswered)
        {
            var r = await ElectionDriver.OkJson(await again.CastAsync(session, ballot, key));
            receipts[key] = r.GetProperty("trackingNumber").GetString()!;
        }

        var board = BoardVerifier.Verify(new MemoryStream(await again.BoardAsync()));
        Assert.True(board.Ok, board.Problem?.ToString());
        var box = (await ElectionDriver.OkJson(await again.SendAsync(HttpMethod.Get, $"/{e.Id}/ballots"))).EnumerateArray().Select(b => b.GetProperty("trackingNumber").GetString()!).ToList();
        // Every receipt's ballot is on the board exactly once, and the board holds nothing else.
        Assert.Equal(box.Count, box.Distinct().Count());
        Assert.Equal(receipts.Values.Order(), box.Order());
        Assert.Equal(board.BallotsOnBoard, box.Count);
        foreach (var (_, key, _, tracking) in ballots.Where(b => receipts.ContainsKey(b.Key)))
        {
            Assert.Equal(tracking, receipts[key]);
        }
        // The émargement list matches the board: each voter marked with as many ballots as they have on it.
        var marked = (await ElectionDriver.OkJson(await again.Bureau(HttpMethod.Get, "/voters"))).EnumerateArray()
            .ToDictionary(v => v.GetProperty("voterId").GetString()!, v => v.GetProperty("votedAt").ValueKind != System.Text.Json.JsonValueKind.Null);
        var onBoard = ballots.Where(b => box.Contains(b.Tracking)).GroupBy(b => b.Voter).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (voter, votedMark) in marked)
        {
            Assert.Equal(onBoard.ContainsKey(voter), votedMark);
        }
        var integrity = await ElectionDriver.OkJson(await again.Bureau(HttpMethod.Get, "/integrity"));
        Assert.True(integrity.GetProperty("ok").GetBoolean(), integrity.ToString());
        Directory.Delete(work, true);
    }
    [Theory, StorageProviders]
    public async Task Stopping_one_elections_process_leaves_the_others_running(string provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var work = Directory.CreateTempSubdirectory("socle-isolation-").FullName;
        const string roll = "id,email\nv1,v1@example.org\nv2,v2@example.org\n";
        var drivers = new List<(ElectionDriver Driver, ElectionRecord Election)>();

        // The main server prepares two elections, each in its own database (SQLite file or PostgreSQL schema).
        await using (var main = new Server(db.ConnectionString, work, FreePort()))
        {
            await main.ReadyAsync();
            foreach (var name in new[] { "A", "B" })
            {
                var e = new ElectionDriver(main.Client);
                await e.CreateAsync(ElectionDriver.Definition() with { Name = $"Élection {name}" }, roll);
                await e.SetupAsync(1, Groups.Ed25519);
                await e.CredentialsByFileAsync();
                drivers.Add((e, await e.OpenAsync()));
            }
        }
        var (a, electionA) = drivers[0];
        var (b, electionB) = drivers[1];

        // Each election gets its own process, which serves it alone.
        await using var processA = new Server(db.ConnectionString, work, FreePort(), election: a.Id);
        await using var processB = new Server(db.ConnectionString, work, FreePort(), election: b.Id);
        await processA.ReadyAsync();
        await processB.ReadyAsync();
        var onA = a.With(processA.Client);
        var onB = b.With(processB.Client);
        Assert.Equal(HttpStatusCode.NotFound, (await b.With(processA.Client).SendAsync(HttpMethod.Get, $"/{b.Id}")).StatusCode);
        var ballotA = ElectionDriver.Encrypt(electionA, a.Credentials["v1"].Credential, [0, 1, 0, 0], [1, 0]);
        var receiptA = await ElectionDriver.OkJson(await onA.CastAsync(await onA.LoginAsync("v1", a.Credentials["v1"].Password), ballotA, "a-v1"));

        // Election A's process stops (killed, as in a crash); election B goes on voting, unaware.
        processA.Kill();
        var sessionB = await onB.LoginAsync("v2", b.Credentials["v2"].Password);
        await ElectionDriver.OkJson(await onB.CastAsync(sessionB, ElectionDriver.Encrypt(electionB, b.Credentials["v2"].Credential, [1, 0, 0, 0], [0, 1]), "b-v2"));
        var boardB = BoardVerifier.Verify(new MemoryStream(await onB.BoardAsync()));
        Assert.True(boardB.Ok, boardB.Problem?.ToString());
        Assert.Equal(1, boardB.BallotsOnBoard);

        // Election A comes back with its receipted ballot, and nothing of B's.
        await using var againA = new Server(db.ConnectionString, work, FreePort(), election: a.Id);
        await againA.ReadyAsync();
        var boardA = BoardVerifier.Verify(new MemoryStream(await a.With(againA.Client).BoardAsync()));
        Assert.True(boardA.Ok, boardA.Problem?.ToString());
        Assert.Equal(1, boardA.BallotsOnBoard);
        var boxA = await ElectionDriver.OkJson(await a.With(againA.Client).SendAsync(HttpMethod.Get, $"/{a.Id}/ballots"));
        Assert.Equal(receiptA.GetProperty("trackingNumber").GetString(), Assert.Single(boxA.EnumerateArray()).GetProperty("trackingNumber").GetString());
        Directory.Delete(work, true);
    }
}
