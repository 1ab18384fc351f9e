using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Socle.Platform.Journal;
using Socle.Platform.Storage;

namespace Socle.Bench;

/// <summary>
/// Journal verification is bounded by SHA-256: each event hashes its payload and its header.
/// <see cref="Sha256Only"/> hashes exactly those bytes and nothing else (the floor on one core);
/// <see cref="Verify"/> parses the export, hashes, and checks the chain, on every core.
/// </summary>
[MemoryDiagnoser]
public class JournalBenchmarks
{
    private byte[] _export = [];
    private byte[][] _hashed = [];

    [Params(100_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var sb = new StringBuilder();
        var hashed = new List<byte[]>();
        JournalEvent? parent = null;
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Events; i++)
        {
            // a typical audit payload: ~200 bytes
            var payload = $$"""{"member":"m-{{i % 5000:D6}}","store":"s-01","amount_eur":"{{i % 97}}.{{i % 100:D2}}","points":{{i % 550}},"rule":"bands-5-10","idempotency_key":"{{Guid.NewGuid()}}"}""";
            parent = JournalEvent.Create("loyalty/merchant/bench", parent, "points.earned", Sql.Time(start.AddMilliseconds(i)), payload);
            sb.Append(JournalExport.Line(parent)).Append('\n');
            hashed.Add(Encoding.UTF8.GetBytes(payload));
            hashed.Add(JournalEvent.Header(parent.Stream, parent.Height, parent.Parent, parent.Type, parent.Time, parent.PayloadHash));
        }
        sb.Append(JournalExport.Trailer(Events, [parent!])).Append('\n');
        _export = Encoding.UTF8.GetBytes(sb.ToString());
        _hashed = [.. hashed];
    }

    [Benchmark(Baseline = true, Description = "SHA-256 of payloads and headers, one core")]
    public int Sha256Only()
    {
        Span<byte> digest = stackalloc byte[32];
        var x = 0;
        foreach (var bytes in _hashed)
        {
            SHA256.HashData(bytes, digest);
            x ^= digest[0];
        }
        return x;
    }

    [Benchmark(Description = "Verify export (parse, hash, chain), all cores")]
    public bool Verify() => JournalVerifier.Verify(_export).Ok;
}

/// <summary>Appending to the stored journal on SQLite (WAL, synchronous=FULL): one event per transaction, and 100 per transaction.</summary>
[MemoryDiagnoser]
public class JournalAppendBenchmarks
{
    private string _dir = "";
    private Journal _journal = default!;
    private Database _db = default!;
    private int _n;

    [GlobalSetup]
    public void Setup()
    {
        _dir = Directory.CreateTempSubdirectory("socle-bench-").FullName;
        _db = new Database($"Data Source={Path.Combine(_dir, "bench.db")}");
        new MigrationRunner(_db, TimeProvider.System).RunAsync([new MigrationSet("platform", typeof(Journal).Assembly)]).GetAwaiter().GetResult();
        _journal = new Journal(_db, TimeProvider.System);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, true);
    }

    [Benchmark(Description = "Append 1 event (own transaction)")]
    public Task<JournalEvent> AppendOne() =>
        _journal.AppendAsync("bench/one", "tick", $$"""{"n":{{_n++}},"note":"one event per transaction"}""");

    [Benchmark(Description = "Append 100 events (one transaction)", OperationsPerInvoke = 100)]
    public Task AppendHundred() => _db.InTransactionAsync(async (c, tx) =>
    {
        var items = Enumerable.Range(0, 100).Select(i => ("tick", $$"""{"n":{{_n++}},"note":"batched"}""")).ToList();
        await _journal.AppendManyAsync(c, tx, "bench/batch", items);
    });
}
