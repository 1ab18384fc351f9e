// Bounded loopback load on the Loyalty purchase API: a shop and N members are created through the API, then purchases
// (each with its own idempotency key, --per-request of them per request) are sent for D seconds after a warm-up, against a
// server on 127.0.0.1 only: either in a closed loop (W workers, each sending when answered) or, with --rate, in an open
// loop at that many purchases per second (at most W requests outstanding). It reports the accepted purchases per second
// (each durably committed before its answer) and the latency percentiles; run.sh then checks the ledger.
//   dotnet run -c Release --project bench/load/loyalty -- --url http://127.0.0.1:5091 --seconds 60 --warmup 30 --per-request 10 --rate 3000
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

var options = Args(args);
var url = options.GetValueOrDefault("url", "http://127.0.0.1:5091");
if (!Uri.TryCreate(url, UriKind.Absolute, out var baseUri) || !(baseUri.IsLoopback))
{
    Console.Error.WriteLine("error: --url must be a loopback address (127.0.0.1 or localhost)");
    return 2;
}
var seconds = int.Parse(options.GetValueOrDefault("seconds", "30"), CultureInfo.InvariantCulture);
var workers = int.Parse(options.GetValueOrDefault("workers", "64"), CultureInfo.InvariantCulture);
var memberCount = int.Parse(options.GetValueOrDefault("members", "2000"), CultureInfo.InvariantCulture);
var maxRequests = long.Parse(options.GetValueOrDefault("max-requests", "2000000"), CultureInfo.InvariantCulture);
var warmup = int.Parse(options.GetValueOrDefault("warmup", "5"), CultureInfo.InvariantCulture);
var perRequest = int.Parse(options.GetValueOrDefault("per-request", "1"), CultureInfo.InvariantCulture); // 1: POST /purchases; more: POST /purchases/batch
// --rate R: open loop, R purchases per second offered whatever the answers (workers then bounds the requests outstanding)
var targetRate = options.TryGetValue("rate", out var r) ? double.Parse(r, CultureInfo.InvariantCulture) : (double?)null;

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = workers, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
{
    BaseAddress = baseUri,
    Timeout = TimeSpan.FromSeconds(30),
};
var shop = await (await http.PostAsJsonAsync("/api/loyalty/shops", new
{
    shopName = "Load test shop", storeName = "Loopback", ownerName = "Bench", programmeName = "Bands",
    programme = new
    {
        kind = "points", min_seconds_between_earnings = 0,
        bands = new object[] { new { up_to_eur = 50, points_per_euro = 5 }, new { up_to_eur = (decimal?)null, points_per_euro = 10 } },
        multipliers = new object[] { new { id = "pastry", category = "viennoiseries", factor = 2, priority = 10, stackable = true } },
        boosts = new object[] { new { id = "tue", name = "Tuesday x2", factor = 2, starts_local = "2026-01-06T16:00:00", duration = "PT2H", r_rule = "FREQ=WEEKLY;BYDAY=TU", time_zone = "Europe/Paris", cap_per_member = 500, cap_period = "month" } },
    },
    rewardName = "Coffee", rewardCost = 500,
})).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", shop.GetProperty("ownerKey").GetString());
var joinCode = shop.GetProperty("joinCode").GetString();
var members = new string[memberCount];
await Parallel.ForAsync(0, memberCount, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
{
    var joined = await (await http.PostAsJsonAsync("/api/loyalty/join", new { joinCode, displayName = $"m{i}", acceptProgramme = true }, ct))
        .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>(ct);
    members[i] = joined.GetProperty("memberId").GetString()!;
});
Console.Error.WriteLine($"shop {shop.GetProperty("merchantId").GetString()}, {memberCount} members; {workers} workers for {warmup}+{seconds} s");

long sent = 0, ok = 0, failed = 0;
var latencies = new List<(double Ms, int Second)>[workers]; // per request, with the second of the run it ended in
var stopAt = Stopwatch.GetTimestamp() + (long)((warmup + seconds) * (double)Stopwatch.Frequency);
var measureFrom = Stopwatch.GetTimestamp() + (long)(warmup * (double)Stopwatch.Frequency);
long okMeasured = 0;
long late = 0;
var runStart = Stopwatch.GetTimestamp();
Console.Error.WriteLine($"load starts at {DateTime.UtcNow:HH:mm:ss.f} UTC");

// Sends one request of perRequest purchases; the latency counts from `due` (the send time in a closed loop, the
// scheduled time in an open one, so a server that falls behind is charged for the wait it causes).
async Task SendAsync(int w, Random random, long due)
{
    object Body(string key)
    {
        var amount = Math.Round(2 + random.NextDouble() * 90, 2);
        return new
        {
            idempotencyKey = key, memberId = members[random.Next(members.Length)], amountEur = amount,
            lines = new[] { new { product = "croissant", category = "viennoiseries", quantity = 2, amount_eur = Math.Round(amount / 3, 2) } },
        };
    }
    using var request = perRequest == 1
        ? new HttpRequestMessage(HttpMethod.Post, "/api/loyalty/purchases") { Content = JsonContent.Create(Body("")) }
        : new HttpRequestMessage(HttpMethod.Post, "/api/loyalty/purchases/batch")
        {
            Content = JsonContent.Create(new { purchases = Enumerable.Range(0, perRequest).Select(_ => Body($"load-{w}-{Guid.NewGuid():N}")).ToArray() }),
        };
    if (perRequest == 1)
    {
        request.Headers.Add("Idempotency-Key", $"load-{w}-{Guid.NewGuid():N}");
    }
    try
    {
        using var response = await http.SendAsync(request);
        var elapsed = Stopwatch.GetElapsedTime(due).TotalMilliseconds;
        var accepted = 0;
        if (response.IsSuccessStatusCode)
        {
            accepted = perRequest == 1 ? 1 : (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Count(x => x.GetProperty("outcome").ValueKind == JsonValueKind.Object);
        }
        if (accepted > 0)
        {
            Interlocked.Add(ref ok, accepted);
            Interlocked.Add(ref failed, perRequest - accepted);
            if (due >= measureFrom)
            {
                Interlocked.Add(ref okMeasured, accepted);
                lock (latencies[w])
                {
                    // each purchase of the request waited this long for its answer
                    latencies[w].Add((elapsed, (int)Stopwatch.GetElapsedTime(runStart).TotalSeconds));
                }
            }
        }
        else
        {
            Interlocked.Add(ref failed, perRequest);
        }
    }
    catch (HttpRequestException)
    {
        Interlocked.Add(ref failed, perRequest);
    }
}

for (var w = 0; w < workers; w++)
{
    latencies[w] = new List<(double, int)>(200_000);
}
if (targetRate is null)
{
    // closed loop: each worker sends its next request when the previous one is answered
    await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
    {
        var random = new Random(w);
        while (Stopwatch.GetTimestamp() < stopAt && Interlocked.Increment(ref sent) <= maxRequests)
        {
            await SendAsync(w, random, Stopwatch.GetTimestamp());
        }
    })));
}
else
{
    // open loop at a fixed rate: request i is due at start + i / rate whatever the answers; at most `workers` requests
    // are outstanding (a request due while all are busy waits, and its wait counts in its latency)
    var interval = Stopwatch.Frequency * perRequest / targetRate.Value;
    var slots = new SemaphoreSlim(workers);
    var start = Stopwatch.GetTimestamp();
    var running = new List<Task>();
    var randoms = Enumerable.Range(0, workers).Select(w => new Random(w)).ToArray();
    for (long i = 0; ; i++)
    {
        var due = start + (long)(i * interval);
        if (due >= stopAt || i >= maxRequests)
        {
            break;
        }
        var wait = due - Stopwatch.GetTimestamp();
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(wait / (double)Stopwatch.Frequency));
        }
        await slots.WaitAsync();
        if (Stopwatch.GetTimestamp() - due > Stopwatch.Frequency / 1000)
        {
            late++;
        }
        var w = (int)(i % workers);
        sent++;
        running.Add(Task.Run(async () =>
        {
            try
            {
                await SendAsync(w, randoms[w], due);
            }
            finally
            {
                slots.Release();
            }
        }));
        if (running.Count > 4096)
        {
            running.RemoveAll(t => t.IsCompleted);
        }
    }
    await Task.WhenAll(running);
}
var all = latencies.SelectMany(l => l).Select(l => l.Ms).OrderBy(x => x).ToArray();
// where the slow answers fell in time (a periodic cause — checkpoint, autovacuum, kernel writeback — shows as a pattern)
Console.Error.WriteLine("second: answers over 50 ms (slowest ms) — " + string.Join(", ", latencies.SelectMany(l => l).Where(l => l.Ms > 50)
    .GroupBy(l => l.Second).OrderBy(g => g.Key).Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()} ({g.Max(l => l.Ms):0})"))));
double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
var rate = okMeasured / (double)seconds;
var liability = await http.GetFromJsonAsync<JsonElement>("/api/loyalty/liability");
var summary = new
{
    mode = targetRate is null ? "closed loop" : "open loop", offered_per_second = targetRate, requests_started_late_over_1ms = targetRate is null ? (long?)null : late,
    workers, purchases_per_request = perRequest, members = memberCount, seconds, warmup_seconds = warmup,
    accepted_total = ok, failed_total = failed, accepted_measured = okMeasured,
    purchases_per_second = Math.Round(rate, 1),
    latency_ms = new { p50 = Math.Round(P(0.50), 2), p95 = Math.Round(P(0.95), 2), p99 = Math.Round(P(0.99), 2), max = Math.Round(all.LastOrDefault(), 2) },
    units_issued_in_ledger = liability.GetProperty("unitsIssued").GetInt64(),
};
Console.WriteLine(JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
return failed == 0 ? 0 : 1;

static Dictionary<string, string> Args(string[] args)
{
    var d = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        d[args[i].TrimStart('-')] = args[i + 1];
    }
    return d;
}
