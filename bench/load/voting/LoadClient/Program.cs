// socle-voting-load <base-url> <scenario> <concurrency> <seconds> [file]
// Scenarios: report (GET /api/voting/boards/{uuid}), download (GET …/board), verify (POST /api/voting/verify with file),
// page (GET /voting/boards/{uuid}). Prints one JSON line: requests, errors, per-second, latency percentiles in ms.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

if (args.Length < 4)
{
    Console.Error.WriteLine("usage: socle-voting-load <base-url> <report|download|verify|page> <concurrency> <seconds> [uuid-or-file]");
    return 2;
}
var baseUrl = args[0].TrimEnd('/');
var scenario = args[1];
var concurrency = int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture);
var seconds = double.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
var extra = args.Length > 4 ? args[4] : "";
var body = scenario == "verify" ? File.ReadAllBytes(extra) : [];

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    BaseAddress = new Uri(baseUrl),
    Timeout = TimeSpan.FromMinutes(2),
};

async Task<bool> OneAsync()
{
    using var request = scenario switch
    {
        "report" => new HttpRequestMessage(HttpMethod.Get, $"/api/voting/boards/{extra}"),
        "download" => new HttpRequestMessage(HttpMethod.Get, $"/api/voting/boards/{extra}/board"),
        "page" => new HttpRequestMessage(HttpMethod.Get, $"/voting/boards/{extra}"),
        "verify" => new HttpRequestMessage(HttpMethod.Post, "/api/voting/verify") { Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } } },
        _ => throw new ArgumentException($"unknown scenario {scenario}"),
    };
    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
    var content = await response.Content.ReadAsByteArrayAsync();
    return response.IsSuccessStatusCode && content.Length > 0 && (scenario != "verify" || JsonDocument.Parse(content).RootElement.GetProperty("ok").GetBoolean());
}

// Warm-up: one request per connection.
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => OneAsync()));

var latencies = new List<double>[concurrency];
var errors = 0;
var clock = Stopwatch.StartNew();
var deadline = TimeSpan.FromSeconds(seconds);
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
{
    latencies[w] = [];
    while (clock.Elapsed < deadline)
    {
        var start = clock.Elapsed;
        bool ok;
        try
        {
            ok = await OneAsync();
        }
        catch (HttpRequestException)
        {
            ok = false;
        }
        if (ok)
        {
            latencies[w].Add((clock.Elapsed - start).TotalMilliseconds);
        }
        else
        {
            Interlocked.Increment(ref errors);
        }
    }
}));
var elapsed = clock.Elapsed.TotalSeconds;
var all = latencies.SelectMany(l => l).Order().ToArray();
double P(double q) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)Math.Ceiling(q * all.Length) - 1)];
Console.WriteLine(JsonSerializer.Serialize(new
{
    scenario,
    concurrency,
    seconds = Math.Round(elapsed, 1),
    requests = all.Length,
    errors,
    perSecond = Math.Round(all.Length / elapsed, 1),
    p50 = Math.Round(P(0.50), 1),
    p95 = Math.Round(P(0.95), 1),
    p99 = Math.Round(P(0.99), 1),
    max = Math.Round(all.LastOrDefault(), 1),
}));
return errors == 0 ? 0 : 1;
