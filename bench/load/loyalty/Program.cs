// Bounded loopback load on the Loyalty purchase API: a shop and N members are created through the API, then W workers
// send purchases (one per request, each with its own Idempotency-Key) in a closed loop for D seconds, against a server on
// 127.0.0.1 only. It reports the accepted purchases per second (each durably committed before its answer) and the latency
// percentiles, and checks afterwards that the ledger holds exactly one entry per accepted purchase.
//   dotnet run -c Release --project bench/load/loyalty -- --url http://127.0.0.1:5091 --seconds 30 --workers 64 --members 2000
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
var latencies = new List<double>[workers];
var stopAt = Stopwatch.GetTimestamp() + (long)((warmup + seconds) * (double)Stopwatch.Frequency);
var measureFrom = Stopwatch.GetTimestamp() + (long)(warmup * (double)Stopwatch.Frequency);
long okMeasured = 0;
var tasks = Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
{
    latencies[w] = new List<double>(200_000);
    var random = new Random(w);
    while (Stopwatch.GetTimestamp() < stopAt && Interlocked.Increment(ref sent) <= maxRequests)
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
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var accepted = 0;
            if (response.IsSuccessStatusCode)
            {
                accepted = perRequest == 1 ? 1 : (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().Count(x => x.GetProperty("outcome").ValueKind == JsonValueKind.Object);
            }
            if (accepted > 0)
            {
                Interlocked.Add(ref ok, accepted);
                Interlocked.Add(ref failed, perRequest - accepted);
                if (started >= measureFrom)
                {
                    Interlocked.Add(ref okMeasured, accepted);
                    latencies[w].Add(elapsed); // each purchase of the request waited this long for its answer
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
})).ToArray();
await Task.WhenAll(tasks);
var all = latencies.SelectMany(l => l).OrderBy(x => x).ToArray();
double P(double q) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
var rate = okMeasured / (double)seconds;
var liability = await http.GetFromJsonAsync<JsonElement>("/api/loyalty/liability");
var summary = new
{
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
