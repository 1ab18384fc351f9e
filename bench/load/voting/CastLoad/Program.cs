// socle-voting-cast <base-url> <mail-dir> <voters> <concurrency> <candidates> [group] [warm-up voters]
//
// Bounded loopback load on ballot casting, as voters would cast through the booth:
//   1. the bureau creates an election (one question: <candidates> candidates + blank, revote allowed, sign-in by
//      one-time code), imports the roll, adds a trustee whose key is made here, and delivers credentials by file;
//   2. every voter asks for a code (read back from the server's mail pickup directory) and signs in;
//   3. every ballot is encrypted here ahead of the run, with the same encryption the booth uses;
//   4. timed: <concurrency> clients each cast the next voter's ballot (POST …/ballots with an Idempotency-Key) until
//      every voter has voted; each answer must be a receipt with the ballot's tracking number;
//   5. afterwards the ballot box and the émargement list must hold exactly one ballot per voter.
// The server checks every ballot in full (signature and every proof) before the transaction that records it.
// Prints one JSON line: ballots, errors, per second, latency percentiles in ms, and the board's id for verification.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;

if (args.Length < 5)
{
    Console.Error.WriteLine("usage: socle-voting-cast <base-url> <mail-dir> <voters> <concurrency> <candidates> [Ed25519|BELENIOS-2048] [warm-up voters]");
    return 2;
}
var inv = CultureInfo.InvariantCulture;
var baseUrl = args[0].TrimEnd('/');
var mailDir = args[1];
var voters = int.Parse(args[2], inv);
var concurrency = int.Parse(args[3], inv);
var candidates = int.Parse(args[4], inv);
var groupName = args.Length > 5 ? args[5] : "Ed25519";
var warmUp = args.Length > 6 ? int.Parse(args[6], inv) : Math.Min(500, voters / 10);
var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
var total = voters + warmUp;

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(concurrency, 16), PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = new Uri(baseUrl),
    Timeout = TimeSpan.FromMinutes(2),
};

async Task<JsonElement> Ok(HttpResponseMessage r)
{
    var text = await r.Content.ReadAsStringAsync();
    if (!r.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{(int)r.StatusCode} {r.RequestMessage?.Method} {r.RequestMessage?.RequestUri}: {text}");
    }
    return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
}

HttpRequestMessage Req(HttpMethod m, string path, string? bearer, HttpContent? content = null)
{
    var r = new HttpRequestMessage(m, "/api/voting/elections" + path) { Content = content };
    if (bearer is not null)
    {
        r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
    }
    return r;
}

async Task ForAll(int count, int parallel, Func<int, Task> body)
{
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            await body(i);
        }
    }));
}

var setupClock = Stopwatch.StartNew();
var answers = Enumerable.Range(1, candidates).Select(i => $"Candidat·e {i}").ToArray();
var definition = new
{
    name = "Bench — élection des représentants",
    description = $"{total} voters, one question of {candidates} candidates + blank",
    questions = new[] { new { text = "Votre représentant·e", answers, blank = true, min = 1, max = 1 } },
    group = groupName,
    revote = true,
    voterAuthentication = "code",
};
var created = await Ok(await client.PostAsJsonAsync("/api/voting/elections", definition, web));
var id = created.GetProperty("id").GetString()!;
var admin = created.GetProperty("adminToken").GetString()!;
var ids = Enumerable.Range(0, total).Select(i => $"v{i:D6}").ToArray();
var roll = new StringBuilder("id,email\n");
foreach (var v in ids)
{
    roll.Append(inv, $"{v},{v}@bench.example\n");
}
await Ok(await client.SendAsync(Req(HttpMethod.Post, $"/{id}/voters", admin, new StringContent(roll.ToString(), Encoding.UTF8, "text/csv"))));
var trustee = await Ok(await client.SendAsync(Req(HttpMethod.Post, $"/{id}/trustees", admin, JsonContent.Create(new { name = "Assesseur", email = "t@bench.example" }))));
await Ok(await client.SendAsync(Req(HttpMethod.Post, $"/{id}/setup", admin)));
Groups.TryGet(groupName, out var group);
var key = TrusteeKeys.GenerateSingle(group!);
await Ok(await client.SendAsync(Req(HttpMethod.Post, $"/{id}/trustee/key", trustee.GetProperty("token").GetString(), new StringContent(key.PublicKey.ToJson(), Encoding.UTF8, "application/json"))));
var file = (await Ok(await client.SendAsync(Req(HttpMethod.Post, $"/{id}/credentials", admin, JsonContent.Create(new { channel = "file" }))))).GetProperty("file").GetString()!;
var credential = file.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[3], StringComparer.Ordinal);
await Ok(await client.SendAsync(Req(HttpMethod.Post, $"/{id}/open", admin)));
var election = ElectionRecord.Parse(await client.GetStringAsync($"/api/voting/elections/{id}/election.json"));
Console.Error.WriteLine($"election {id} open ({setupClock.Elapsed.TotalSeconds:F1} s); signing {total} voters in…");

// Sign-in by one-time code, read from the pickup directory (one .eml per message: "To: <address>" and an 8-digit code).
await ForAll(total, 16, async i => await Ok(await client.SendAsync(Req(HttpMethod.Post, $"/{id}/login/code", null, JsonContent.Create(new { voterId = ids[i] })))));
var codes = new Dictionary<string, string>(StringComparer.Ordinal);
foreach (var path in Directory.EnumerateFiles(mailDir, "*.eml").Order(StringComparer.Ordinal))
{
    var text = File.ReadAllText(path);
    var to = Regex.Match(text, @"^To: (\S+)@bench\.example", RegexOptions.Multiline);
    var code = Regex.Match(text, @"\b\d{8}\b");
    if (to.Success && code.Success && text.Contains("code de connexion", StringComparison.Ordinal))
    {
        codes[to.Groups[1].Value] = code.Value;
    }
}
var sessions = new string[total];
await ForAll(total, 16, async i =>
{
    var s = await Ok(await client.SendAsync(Req(HttpMethod.Post, $"/{id}/login", null, JsonContent.Create(new { voterId = ids[i], secret = codes[ids[i]] }))));
    sessions[i] = s.GetProperty("token").GetString()!;
});
Console.Error.WriteLine($"signed in ({setupClock.Elapsed.TotalSeconds:F1} s); encrypting {total} ballots…");

// Each voter picks a candidate or the blank vote (all zeros with the blank flag first: Belenios' blank is choice 0).
var ballots = new string[total];
var trackings = new string[total];
Parallel.For(0, total, i =>
{
    var rng = new Random(i);
    var pick = rng.Next(candidates + 1);
    var choice = new int[candidates + 1];
    choice[pick == candidates ? 0 : pick + 1] = 1;
    var b = BallotEncryption.Encrypt(election, credential[ids[i]], [choice]);
    ballots[i] = b.Raw;
    trackings[i] = b.TrackingNumber;
});
Console.Error.WriteLine($"encrypted ({setupClock.Elapsed.TotalSeconds:F1} s); warm-up {warmUp}, then {voters} timed casts with {concurrency} clients…");

// Ballots go out as UTF-8 bytes prepared beforehand: the client shares the two cores with the server it measures.
var bodies = ballots.Select(Encoding.UTF8.GetBytes).ToArray();
var errors = new ConcurrentQueue<string>();
async Task<bool> CastAsync(int i)
{
    var body = new ByteArrayContent(bodies[i]);
    body.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
    using var r = Req(HttpMethod.Post, $"/{id}/ballots", sessions[i], body);
    r.Headers.Add("Idempotency-Key", $"bench-{i}");
    using var response = await client.SendAsync(r);
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode || !text.Contains(trackings[i], StringComparison.Ordinal))
    {
        errors.Enqueue($"{(int)response.StatusCode} {text}");
        return false;
    }
    return true;
}

await ForAll(warmUp, concurrency, async i => await CastAsync(voters + i));
var latencies = new double[voters];
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
await ForAll(voters, concurrency, async i =>
{
    var start = clock.Elapsed;
    try
    {
        await CastAsync(i);
    }
    catch (HttpRequestException e)
    {
        errors.Enqueue(e.Message);
    }
    latencies[i] = (clock.Elapsed - start).TotalMilliseconds;
});
var elapsed = clock.Elapsed.TotalSeconds;
var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;

// Every receipt's ballot in the box, one ballot per voter, the émargement list in agreement.
var box = await Ok(await client.GetAsync($"/api/voting/elections/{id}/ballots"));
var inBox = box.EnumerateArray().Select(e => e.GetProperty("trackingNumber").GetString()).ToHashSet(StringComparer.Ordinal);
var missing = trackings.Count(t => !inBox.Contains(t));
var emargement = await Ok(await client.SendAsync(Req(HttpMethod.Get, $"/{id}/voters", admin)));
var voted = emargement.EnumerateArray().Count(e => e.TryGetProperty("votedAt", out var at) && at.ValueKind != JsonValueKind.Null);

Array.Sort(latencies);
double P(double p) => Math.Round(latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)], 1);
foreach (var e in errors.Take(5))
{
    Console.Error.WriteLine("error: " + (e.Length > 300 ? e[..300] : e));
}
Console.WriteLine(JsonSerializer.Serialize(new
{
    scenario = "cast",
    election = id,
    group = groupName,
    candidates,
    concurrency,
    ballots = voters,
    warmUp,
    errors = errors.Count,
    seconds = Math.Round(elapsed, 2),
    perSecond = Math.Round(voters / elapsed, 1),
    p50 = P(0.50),
    p95 = P(0.95),
    p99 = P(0.99),
    max = Math.Round(latencies[^1], 1),
    inBox = inBox.Count,
    missingFromBox = missing,
    voted,
    clientCpuSeconds = Math.Round(clientCpu, 1),
    adminToken = admin,
}));
return errors.IsEmpty && missing == 0 && inBox.Count == total && voted == total ? 0 : 1;
