using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Dapper;
using Socle.Platform.Storage;

namespace Socle.Platform.Journal;

/// <summary>
/// The append-only, hash-chained event log that modules use for their audit trails (one stream per aggregate or per
/// election, say <c>voting/election/abc</c> or <c>loyalty/merchant/42</c>). Appends are atomic: the event and the new head
/// of its stream are written in one transaction — the caller's, when the event records a change the caller is making.
/// </summary>
public sealed class Journal(Database db, TimeProvider time)
{
    public Database Database => db;

    /// <summary>Appends one event in its own transaction.</summary>
    public Task<JournalEvent> AppendAsync(string stream, string type, string payloadJson, CancellationToken ct = default) =>
        db.InTransactionAsync((c, tx) => AppendAsync(c, tx, stream, type, payloadJson, ct), ct);

    /// <summary>Appends an object serialised as compact JSON (System.Text.Json web defaults).</summary>
    public Task<JournalEvent> AppendAsync<T>(string stream, string type, T payload, CancellationToken ct = default) =>
        AppendAsync(stream, type, JsonSerializer.Serialize(payload, JsonOptions), ct);

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Appends one event inside the caller's transaction, so that the event and the change it records commit or fail together.
    /// Concurrent appends to one stream are serialised on the stream's head row.
    /// </summary>
    public async Task<JournalEvent> AppendAsync(DbConnection connection, DbTransaction tx, string stream, string type, string payloadJson, CancellationToken ct = default)
    {
        var events = await AppendManyAsync(connection, tx, stream, [(type, payloadJson)], ct);
        return events[0];
    }

    /// <summary>Appends several events to one stream in the caller's transaction, in order.</summary>
    public async Task<IReadOnlyList<JournalEvent>> AppendManyAsync(DbConnection connection, DbTransaction tx, string stream, IReadOnlyList<(string Type, string PayloadJson)> items, CancellationToken ct = default)
    {
        RequireName(stream, nameof(stream));
        var prepared = items.Select(i => { RequireName(i.Type, "type"); return (i.Type, Payload: CanonicalPayload(i.PayloadJson)); }).ToList();

        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO journal_heads (stream, height, hash) VALUES (@stream, -1, '') ON CONFLICT (stream) DO NOTHING",
            new { stream }, tx, cancellationToken: ct));
        var head = await connection.QuerySingleAsync<HeadRow>(new CommandDefinition(
            "SELECT height, hash FROM journal_heads WHERE stream = @stream" + db.ForUpdate(),
            new { stream }, tx, cancellationToken: ct));

        JournalEvent? parent = head.Height < 0 ? null : new JournalEvent(stream, head.Height, null, "", "", "", "", head.Hash);
        var now = Sql.Time(time.GetUtcNow());
        var written = new List<JournalEvent>(prepared.Count);
        foreach (var (type, payload) in prepared)
        {
            var e = JournalEvent.Create(stream, parent, type, now, payload);
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO journal_events (stream, height, parent, type, time, payload_hash, payload, hash) " +
                "VALUES (@Stream, @Height, @Parent, @Type, @Time, @PayloadHash, @Payload, @Hash)",
                e, tx, cancellationToken: ct));
            written.Add(e);
            parent = e;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE journal_heads SET height = @Height, hash = @Hash WHERE stream = @Stream",
            new { parent!.Height, parent.Hash, Stream = stream }, tx, cancellationToken: ct));
        return written;
    }

    /// <summary>
    /// Appends one event per item, to many streams at once, in the caller's transaction (a bulk import journaling each new
    /// aggregate). Items of one stream are chained in the order given. The result is what the same appends one by one
    /// would give; on PostgreSQL it takes four statements whatever the number of items (heads locked in stream order, so
    /// two batches cannot deadlock), on SQLite — one writer at a time, no network — it appends stream by stream.
    /// </summary>
    public async Task<IReadOnlyList<JournalEvent>> AppendEachAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<(string Stream, string Type, string PayloadJson)> items, CancellationToken ct = default)
    {
        var prepared = items.Select(i =>
        {
            RequireName(i.Stream, "stream");
            RequireName(i.Type, "type");
            return (i.Stream, i.Type, Payload: CanonicalPayload(i.PayloadJson));
        }).ToList();
        var written = new JournalEvent[prepared.Count];
        if (prepared.Count == 0)
        {
            return written;
        }
        if (!db.IsPostgres)
        {
            foreach (var group in Enumerable.Range(0, prepared.Count).GroupBy(i => prepared[i].Stream, StringComparer.Ordinal))
            {
                var indices = group.ToList();
                var events = await AppendManyAsync(connection, tx, group.Key, indices.Select(i => (prepared[i].Type, prepared[i].Payload)).ToList(), ct);
                for (var k = 0; k < indices.Count; k++)
                {
                    written[indices[k]] = events[k];
                }
            }
            return written;
        }

        var streams = prepared.Select(p => p.Stream).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO journal_heads (stream, height, hash) SELECT s, -1, '' FROM unnest(@streams::text[]) WITH ORDINALITY AS u(s, n) ORDER BY n " +
            "ON CONFLICT (stream) DO NOTHING",
            new { streams }, tx, cancellationToken: ct));
        var heads = (await connection.QueryAsync<(string Stream, long Height, string Hash)>(new CommandDefinition(
            "SELECT stream, height, hash FROM journal_heads WHERE stream = ANY(@streams) ORDER BY stream FOR UPDATE",
            new { streams }, tx, cancellationToken: ct))).ToDictionary(h => h.Stream, h => (JournalEvent?)(h.Height < 0 ? null : new JournalEvent(h.Stream, h.Height, null, "", "", "", "", h.Hash)), StringComparer.Ordinal);

        var now = Sql.Time(time.GetUtcNow());
        for (var i = 0; i < prepared.Count; i++)
        {
            var (stream, type, payload) = prepared[i];
            var e = JournalEvent.Create(stream, heads[stream], type, now, payload);
            heads[stream] = e;
            written[i] = e;
        }
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO journal_events (stream, height, parent, type, time, payload_hash, payload, hash) " +
            "SELECT * FROM unnest(@stream::text[], @height::bigint[], @parent::text[], @type::text[], @time::text[], @payloadHash::text[], @payload::text[], @hash::text[])",
            new
            {
                stream = written.Select(e => e.Stream).ToArray(),
                height = written.Select(e => e.Height).ToArray(),
                parent = written.Select(e => e.Parent).ToArray(),
                type = written.Select(e => e.Type).ToArray(),
                time = written.Select(e => e.Time).ToArray(),
                payloadHash = written.Select(e => e.PayloadHash).ToArray(),
                payload = written.Select(e => e.Payload).ToArray(),
                hash = written.Select(e => e.Hash).ToArray(),
            }, tx, cancellationToken: ct));
        var last = heads.Values.Select(e => e!).ToArray();
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE journal_heads AS h SET height = v.height, hash = v.hash FROM unnest(@stream::text[], @height::bigint[], @hash::text[]) AS v(stream, height, hash) " +
            "WHERE h.stream = v.stream",
            new { stream = last.Select(e => e.Stream).ToArray(), height = last.Select(e => e.Height).ToArray(), hash = last.Select(e => e.Hash).ToArray() },
            tx, cancellationToken: ct));
        return written;
    }

    /// <summary>The last event's height and hash of a stream, or null when the stream is empty.</summary>
    public async Task<JournalHead?> HeadAsync(string stream, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<HeadRow>(new CommandDefinition(
            "SELECT height, hash FROM journal_heads WHERE stream = @stream AND height >= 0", new { stream }, cancellationToken: ct));
        return row is null ? null : new JournalHead(stream, row.Height, row.Hash);
    }

    /// <summary>The streams, optionally those whose name starts with <paramref name="prefix"/>.</summary>
    public async Task<IReadOnlyList<string>> StreamsAsync(string prefix = "", CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<string>(new CommandDefinition(
            "SELECT stream FROM journal_heads WHERE height >= 0 AND substr(stream, 1, @n) = @prefix ORDER BY stream",
            new { prefix, n = prefix.Length }, cancellationToken: ct));
        return rows.AsList();
    }

    /// <summary>Reads a stream in height order, from <paramref name="fromHeight"/>, page by page.</summary>
    public async IAsyncEnumerable<JournalEvent> ReadAsync(string stream, long fromHeight = 0, [EnumeratorCancellation] CancellationToken ct = default)
    {
        const int page = 1000;
        var next = fromHeight;
        while (true)
        {
            List<JournalEvent> rows;
            await using (var c = await db.OpenAsync(ct))
            {
                rows = (await c.QueryAsync<JournalEvent>(new CommandDefinition(
                    "SELECT stream, height, parent, type, time, payload_hash AS PayloadHash, payload, hash FROM journal_events " +
                    "WHERE stream = @stream AND height >= @next ORDER BY height LIMIT @page",
                    new { stream, next, page }, cancellationToken: ct))).AsList();
            }
            foreach (var row in rows)
            {
                yield return row;
            }
            if (rows.Count < page)
            {
                yield break;
            }
            next = rows[^1].Height + 1;
        }
    }

    /// <summary>Writes the export (JSON lines plus trailer) of the given streams, or of all streams.</summary>
    public async Task ExportAsync(Stream output, IReadOnlyList<string>? streams = null, CancellationToken ct = default)
    {
        var names = streams ?? await StreamsAsync("", ct);
        await JournalExport.WriteAsync(output, All(names, ct), ct);

        async IAsyncEnumerable<JournalEvent> All(IReadOnlyList<string> list, [EnumeratorCancellation] CancellationToken token)
        {
            foreach (var s in list)
            {
                await foreach (var e in ReadAsync(s, 0, token))
                {
                    yield return e;
                }
            }
        }
    }

    /// <summary>Exports the stored streams and verifies the export: what any outside verifier would conclude.</summary>
    public async Task<JournalVerification> VerifyStoredAsync(IReadOnlyList<string>? streams = null, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        await ExportAsync(buffer, streams, ct);
        return JournalVerifier.Verify(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    private sealed record HeadRow(long Height, string Hash);

    private static void RequireName(string name, string what)
    {
        if (!JournalEvent.IsValidName(name))
        {
            throw new ArgumentException($"Journal {what} '{name}' must match [a-z0-9][a-z0-9._:/-]{{0,199}}.", what);
        }
    }

    /// <summary>The payload as it will be stored and hashed: valid JSON on one line (insignificant line breaks removed).</summary>
    private static string CanonicalPayload(string payloadJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(payloadJson);
            if (payloadJson.AsSpan().IndexOfAny('\n', '\r') < 0)
            {
                return payloadJson;
            }
            using var ms = new MemoryStream();
            using (var w = new Utf8JsonWriter(ms))
            {
                doc.WriteTo(w);
            }
            return Encoding.UTF8.GetString(ms.ToArray());
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Journal payload is not valid JSON: {e.Message}", nameof(payloadJson), e);
        }
    }
}
