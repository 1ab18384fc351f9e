// Load client for the battery passport resolver, and generator of bulk-import files.
//   generate --count 100000 --out passports.jsonl
//   resolve  --base http://127.0.0.1:5081 --ids ids.txt [--keys keys.txt] [--concurrency 32] [--seconds 30] [--warmup 5] [--out result.json]
// The load is closed-loop and bounded: `concurrency` requests in flight at most, each client sending its next request when
// the previous one is answered. Requests pick a random passport and, when keys are given, a reader: the public most of
// the time (a QR code scanned), otherwise a key from the file (a repairer, an authority, the operator).
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Socle.Modules.Batteries.Demo;

return args.FirstOrDefault() switch
{
    "generate" => Generate(Options(args)),
    "resolve" => await ResolveAsync(Options(args)),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: generate --count N --out file.jsonl | resolve --base URL --ids file [--keys file] [--concurrency N] [--seconds N] [--warmup N] [--out file]");
    return 2;
}

static Dictionary<string, string> Options(string[] args)
{
    var options = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 1; i + 1 < args.Length; i += 2)
    {
        options[args[i].TrimStart('-')] = args[i + 1];
    }
    return options;
}

static int Generate(Dictionary<string, string> o)
{
    var count = int.Parse(o["count"], System.Globalization.CultureInfo.InvariantCulture);
    using var writer = new StreamWriter(o["out"]);
    var nmc = SamplePassports.Load(SamplePassports.EvNmc811);
    var lfp = SamplePassports.Load(SamplePassports.EvLfp);
    for (var i = 0; i < count; i++)
    {
        var content = (i % 2 == 0 ? nmc : lfp).DeepClone().AsObject();
        var general = content["generalProductInformation"]!.AsObject();
        var id = general["productIdentifier"]!.GetValue<string>();
        general["productIdentifier"] = id[..(id.IndexOf("(21)", StringComparison.Ordinal) + 4)] + $"L{i:D9}";
        writer.WriteLine(content.ToJsonString());
    }
    Console.Error.WriteLine($"{count} passports written to {o["out"]}");
    return 0;
}

static async Task<int> ResolveAsync(Dictionary<string, string> o)
{
    var baseUrl = new Uri(o["base"]);
    var ids = File.ReadAllLines(o["ids"]).Where(l => l.Length > 0).ToArray();
    var keys = o.TryGetValue("keys", out var k) ? File.ReadAllLines(k).Where(l => l.Length > 0).ToArray() : [];
    var concurrency = o.TryGetValue("concurrency", out var c) ? int.Parse(c, System.Globalization.CultureInfo.InvariantCulture) : 32;
    var seconds = o.TryGetValue("seconds", out var s) ? int.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 30;
    var warmup = o.TryGetValue("warmup", out var w) ? int.Parse(w, System.Globalization.CultureInfo.InvariantCulture) : 5;
    var publicShare = o.TryGetValue("public-share", out var p) ? double.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 0.8;

    using var handler = new SocketsHttpHandler
    {
        MaxConnectionsPerServer = concurrency,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
    };
    using var client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
    var auth = keys.Select(key => new AuthenticationHeaderValue("Bearer", key)).ToArray();

    // latency histogram in microseconds, 1 µs resolution up to 1 s, per worker, merged at the end
    const int Buckets = 1_000_001;
    var histograms = new long[concurrency][];
    var errors = new long[concurrency];
    var byStatus = new Dictionary<int, long>[concurrency];
    var measuring = 0;
    var stop = 0;
    var tasks = new Task[concurrency];
    for (var worker = 0; worker < concurrency; worker++)
    {
        var index = worker;
        histograms[index] = new long[Buckets];
        byStatus[index] = [];
        tasks[index] = Task.Run(async () =>
        {
            var random = new Random(index * 7919 + 17);
            var buffer = new byte[64 * 1024];
            while (Volatile.Read(ref stop) == 0)
            {
                var id = ids[random.Next(ids.Length)];
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/batteries/p/{id}");
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                if (auth.Length > 0 && random.NextDouble() >= publicShare)
                {
                    request.Headers.Authorization = auth[random.Next(auth.Length)];
                }
                var started = Stopwatch.GetTimestamp();
                int status;
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                    await using var body = await response.Content.ReadAsStreamAsync();
                    while (await body.ReadAsync(buffer) > 0)
                    {
                    }
                    status = (int)response.StatusCode;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    status = 0;
                }
                if (Volatile.Read(ref measuring) == 1)
                {
                    var micros = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
                    histograms[index][Math.Min(micros, Buckets - 1)]++;
                    byStatus[index][status] = byStatus[index].GetValueOrDefault(status) + 1;
                    if (status != 200)
                    {
                        errors[index]++;
                    }
                }
            }
        });
    }
    await Task.Delay(TimeSpan.FromSeconds(warmup));
    var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    Volatile.Write(ref measuring, 1);
    await Task.Delay(TimeSpan.FromSeconds(seconds));
    Volatile.Write(ref measuring, 0);
    var elapsed = clock.Elapsed.TotalSeconds;
    var clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalSeconds;
    Volatile.Write(ref stop, 1);
    await Task.WhenAll(tasks);

    var merged = new long[Buckets];
    foreach (var h in histograms)
    {
        for (var i = 0; i < Buckets; i++)
        {
            merged[i] += h[i];
        }
    }
    var total = merged.Sum();
    double Percentile(double q)
    {
        var target = (long)Math.Ceiling(total * q);
        long seen = 0;
        for (var i = 0; i < Buckets; i++)
        {
            seen += merged[i];
            if (seen >= target)
            {
                return i / 1000.0;
            }
        }
        return (Buckets - 1) / 1000.0;
    }
    var statuses = byStatus.SelectMany(d => d).GroupBy(kv => kv.Key).ToDictionary(g => g.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), g => g.Sum(kv => kv.Value));
    var result = new
    {
        endpoint = "GET /batteries/p/{id} (Accept: application/json)",
        passports = ids.Length,
        readers = new { publicShare = auth.Length > 0 ? publicShare : 1.0, keys = auth.Length },
        concurrency,
        seconds = Math.Round(elapsed, 2),
        requests = total,
        requestsPerSecond = Math.Round(total / elapsed, 1),
        latency_ms = new { p50 = Percentile(0.50), p90 = Percentile(0.90), p99 = Percentile(0.99), p999 = Percentile(0.999), max = Percentile(1.0) },
        errors = errors.Sum(),
        statuses,
        clientCpuSeconds = Math.Round(clientCpu, 1),
        machine = new { Environment.ProcessorCount, os = System.Runtime.InteropServices.RuntimeInformation.OSDescription },
    };
    var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
    Console.WriteLine(json);
    if (o.TryGetValue("out", out var outFile))
    {
        await File.WriteAllTextAsync(outFile, json + "\n");
    }
    return errors.Sum() == 0 ? 0 : 1;
}
