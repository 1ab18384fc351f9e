using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dapper;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Signing;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Batteries.Passports;

/// <summary>An item a bulk import refused: its line in the input, its passport id when known, and why.</summary>
public sealed record ImportItemError(int Line, string? PassportId, IReadOnlyList<string> Problems);

public sealed record BulkImportResult(int Imported, int Rejected, IReadOnlyList<ImportItemError> Errors, double Seconds)
{
    public const int MaxReportedErrors = 1000;
}

public sealed partial class PassportRegistry
{
    private sealed record PreparedItem(int Line, string Id, string BatteryId, PassportHead Head, PassportVersion Document, byte[] Bytes, string Hash, string Signature);

    /// <summary>
    /// Imports many passports (a day of a gigafactory's production, a registry migration): each item is checked exactly as
    /// <see cref="CreateAsync"/> checks it, signed and journaled; valid items are written in transactions of
    /// <c>Socle:Batteries:ImportBatchSize</c>, invalid ones reported by line and skipped. Checking and signing run on every
    /// core; writing is one transaction per batch. Re-running an import is safe: passports and batteries that already exist
    /// are reported, not duplicated.
    /// </summary>
    public async Task<BulkImportResult> ImportManyAsync(Party actor, IAsyncEnumerable<(int Line, string Json)> items, CreateMode mode, IProgress<long>? progress, CancellationToken ct)
    {
        if (actor.Role != PartyRole.Operator)
        {
            return new BulkImportResult(0, 0, [new ImportItemError(0, null, ["only an economic operator imports passports"])], 0);
        }
        var started = Stopwatch.StartNew();
        var key = await keys.CurrentAsync(actor.Id, ct);
        var errors = new List<ImportItemError>();
        var imported = 0;
        var rejected = 0;
        // A pipeline of two stages: while one batch is written (the database's time), the next is read, checked and signed
        // (the processor's time). Batches are still written one after another, so each sees what the previous one wrote.
        Task<(int Imported, int Rejected)>? writing = null;
        async Task DrainAsync()
        {
            if (writing is not null)
            {
                (imported, rejected) = await writing;
                writing = null;
                progress?.Report(imported + rejected);
            }
        }
        var batch = new List<(int Line, string Json)>(options.Value.ImportBatchSize);
        await foreach (var item in items.WithCancellation(ct))
        {
            batch.Add(item);
            if (batch.Count == options.Value.ImportBatchSize)
            {
                var ready = PrepareBatch(actor, key, batch, mode, ct);
                await DrainAsync();
                writing = WriteBatchAsync(key, ready, errors, imported, rejected, ct);
                batch = new List<(int Line, string Json)>(options.Value.ImportBatchSize);
            }
        }
        if (batch.Count > 0)
        {
            var ready = PrepareBatch(actor, key, batch, mode, ct);
            await DrainAsync();
            writing = WriteBatchAsync(key, ready, errors, imported, rejected, ct);
        }
        await DrainAsync();
        Log.BulkImported(logger, imported, started.Elapsed.TotalSeconds);
        return new BulkImportResult(imported, rejected, errors.Take(BulkImportResult.MaxReportedErrors).ToList(), started.Elapsed.TotalSeconds);
    }

    private sealed record PreparedBatch(PreparedItem?[] Items, ImportItemError?[] Failures);

    /// <summary>Checks and signs a batch on every core; nothing is read from or written to the database.</summary>
    private PreparedBatch PrepareBatch(Party actor, SigningKey key, List<(int Line, string Json)> batch, CreateMode mode, CancellationToken ct)
    {
        var prepared = new PreparedItem?[batch.Count];
        var failures = new ImportItemError?[batch.Count];
        var now = Sql.TruncateToMicroseconds(time.GetUtcNow());
        var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, batch.Count / 64 + 1));
        Parallel.For(0, workers, new ParallelOptions { CancellationToken = ct, MaxDegreeOfParallelism = workers }, worker =>
        {
            using var signer = key.Clone();
            for (var i = worker; i < batch.Count; i += workers)
            {
                var (line, json) = batch[i];
                JsonObject? content;
                try
                {
                    content = JsonNode.Parse(json) as JsonObject;
                }
                catch (JsonException e)
                {
                    failures[i] = new ImportItemError(line, null, [$"$: is not valid JSON ({e.Message})"]);
                    continue;
                }
                if (content is null)
                {
                    failures[i] = new ImportItemError(line, null, ["$: must be a JSON object (one passport per line)"]);
                    continue;
                }
                var result = Prepare(actor, content, mode, generatedId: null);
                if (!result.IsSuccess)
                {
                    failures[i] = new ImportItemError(line, content[PassportContent.General]?["batteryPassportIdentifier"]?.ToString(), Problems(result.Error));
                    continue;
                }
                var element = result.Value.Content;
                var id = PassportContent.Text(element, "generalProductInformation.batteryPassportIdentifier")!;
                var batteryId = PassportContent.BatteryId(element)!;
                var status = StatusTransitions.TryParseStatus(PassportContent.StatusText(element), out var st) ? st : BatteryStatus.Original;
                var category = PassportContent.Category(element)!;
                var doc = new PassportVersion(id, 1, null, now, mode == CreateMode.Import ? "imported" : "created", status, PassportLifecycle.Active,
                    actor.Id, actor.Id, batteryId, category, null, null, PassportIds.NewSalt(), element);
                var bytes = doc.ToUtf8();
                var hash = PassportVersion.Hash(bytes);
                var head = new PassportHead(id, PassportIds.UuidOf(id) ?? PassportIds.NewUuid(), batteryId, actor.Id, category, PassportContent.Chemistry(element), status,
                    PassportLifecycle.Active, 1, hash, null, null, ManufacturedAt(element), now, now);
                prepared[i] = new PreparedItem(line, id, batteryId, head, doc, bytes, hash, signer.SignDetached(bytes));
            }
        });
        return new PreparedBatch(prepared, failures);
    }

    /// <summary>Refuses duplicates (within the batch, then against the registry) and writes the rest in one transaction.</summary>
    private async Task<(int Imported, int Rejected)> WriteBatchAsync(SigningKey key, PreparedBatch batchToWrite, List<ImportItemError> errors, int imported, int rejected, CancellationToken ct)
    {
        var (prepared, failures) = batchToWrite;
        var count = prepared.Length;
        // duplicates within the batch, then against the registry
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        var seenBatteries = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (prepared[i] is { } p && (!seenIds.Add(p.Id) || !seenBatteries.Add(p.BatteryId)))
            {
                failures[i] = new ImportItemError(p.Line, p.Id, ["the same passport or battery appears twice in the import"]);
                prepared[i] = null;
            }
        }
        var ready = prepared.Where(p => p is not null).Select(p => p!).ToList();
        if (ready.Count > 0)
        {
            await using var c = await db.OpenAsync(ct);
            // PostgreSQL takes the list as one array parameter; Dapper expands it into (@ids1, @ids2, …) for SQLite
            var inList = db.IsPostgres ? "= ANY(@ids)" : "IN @ids";
            var existingIds = (await c.QueryAsync<string>(new CommandDefinition(
                $"SELECT id FROM battery_passports WHERE id {inList}", new { ids = ready.Select(p => p.Id).ToArray() }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
            var activeBatteries = (await c.QueryAsync<string>(new CommandDefinition(
                $"SELECT battery_id FROM battery_passports WHERE lifecycle = 'active' AND battery_id {inList}", new { ids = ready.Select(p => p.BatteryId).ToArray() }, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                if (prepared[i] is { } p && (existingIds.Contains(p.Id) || activeBatteries.Contains(p.BatteryId)))
                {
                    failures[i] = new ImportItemError(p.Line, p.Id, [existingIds.Contains(p.Id) ? $"passport {p.Id} already exists" : $"battery {p.BatteryId} already has an active passport"]);
                    prepared[i] = null;
                }
            }
            ready = prepared.Where(p => p is not null).Select(p => p!).ToList();
        }
        if (ready.Count > 0)
        {
            try
            {
                await db.InTransactionAsync((c, tx) => WriteBatchAsync(c, tx, ready, key.KeyId, ct), ct);
            }
            catch (System.Data.Common.DbException e) when (IsUniqueViolation(e))
            {
                // a concurrent writer took one of these ids meanwhile: fall back to one transaction per item
                foreach (var p in ready)
                {
                    try
                    {
                        await db.InTransactionAsync((c, tx) => WriteBatchAsync(c, tx, [p], key.KeyId, ct), ct);
                    }
                    catch (System.Data.Common.DbException inner) when (IsUniqueViolation(inner))
                    {
                        var index = Array.IndexOf(prepared, p);
                        failures[index] = new ImportItemError(p.Line, p.Id, ["the passport or its battery was registered concurrently"]);
                        prepared[index] = null;
                    }
                }
            }
        }
        foreach (var f in failures)
        {
            if (f is not null)
            {
                rejected++;
                if (errors.Count < BulkImportResult.MaxReportedErrors)
                {
                    errors.Add(f);
                }
            }
        }
        imported += prepared.Count(p => p is not null);
        return (imported, rejected);
    }

    /// <summary>
    /// Writes a batch of new passports, their first versions and their journal events in the caller's transaction. On
    /// PostgreSQL the whole batch takes five statements (rows passed as arrays); on SQLite, in process, item by item.
    /// </summary>
    private async Task WriteBatchAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, IReadOnlyList<PreparedItem> batch, string keyId, CancellationToken ct)
    {
        if (!db.IsPostgres)
        {
            foreach (var p in batch)
            {
                await WritePreparedAsync(c, tx, p, keyId, ct);
            }
            return;
        }
        var heads = batch.Select(p => p.Head).ToArray();
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO battery_passports (id, uuid, battery_id, operator_id, category, chemistry, status, lifecycle, current_version, current_hash, predecessor_id, successor_id, manufactured_at, created_at, updated_at) " +
            "SELECT id, uuid, battery_id, operator_id, category, chemistry, status, 'active', 1, current_hash, NULL, NULL, manufactured_at, at, at " +
            "FROM unnest(@id::text[], @uuid::text[], @batteryId::text[], @operatorId::text[], @category::text[], @chemistry::text[], @status::text[], @currentHash::text[], @manufacturedAt::text[], @at::text[]) " +
            "AS u(id, uuid, battery_id, operator_id, category, chemistry, status, current_hash, manufactured_at, at)",
            new
            {
                id = heads.Select(h => h.Id).ToArray(),
                uuid = heads.Select(h => h.Uuid.ToString("D")).ToArray(),
                batteryId = heads.Select(h => h.BatteryId).ToArray(),
                operatorId = heads.Select(h => h.OperatorId).ToArray(),
                category = heads.Select(h => h.Category).ToArray(),
                chemistry = heads.Select(h => h.Chemistry).ToArray(),
                status = heads.Select(h => h.Status.ToString()).ToArray(),
                currentHash = heads.Select(h => h.CurrentHash).ToArray(),
                manufacturedAt = heads.Select(h => h.ManufacturedAt).ToArray(),
                at = heads.Select(h => Sql.Time(h.CreatedAt)).ToArray(),
            }, tx, cancellationToken: ct));
        var events = await journal.AppendEachAsync(c, tx, batch.Select(p =>
            (StreamOf(p.Id), JournalType, JsonSerializer.Serialize(new JournalPayload(p.Id, 1, p.Hash, null, keyId, p.Document.Change), PartyStore.Json))).ToList(), ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO battery_passport_versions (passport_id, version, recorded_at, change, status, signed_by, document, hash, signature, key_id, journal_stream, journal_height, journal_hash) " +
            "SELECT id, 1, at, change, status, signed_by, document, hash, signature, @keyId, stream, height, journal_hash " +
            "FROM unnest(@id::text[], @at::text[], @change::text[], @status::text[], @signedBy::text[], @document::text[], @hash::text[], @signature::text[], @stream::text[], @height::bigint[], @journalHash::text[]) " +
            "AS u(id, at, change, status, signed_by, document, hash, signature, stream, height, journal_hash)",
            new
            {
                keyId,
                id = batch.Select(p => p.Id).ToArray(),
                at = heads.Select(h => Sql.Time(h.CreatedAt)).ToArray(),
                change = batch.Select(p => p.Document.Change).ToArray(),
                status = heads.Select(h => h.Status.ToString()).ToArray(),
                signedBy = batch.Select(p => p.Document.SignedBy).ToArray(),
                document = batch.Select(p => System.Text.Encoding.UTF8.GetString(p.Bytes)).ToArray(),
                hash = batch.Select(p => p.Hash).ToArray(),
                signature = batch.Select(p => p.Signature).ToArray(),
                stream = events.Select(e => e.Stream).ToArray(),
                height = events.Select(e => e.Height).ToArray(),
                journalHash = events.Select(e => e.Hash).ToArray(),
            }, tx, cancellationToken: ct));
    }

    private async Task WritePreparedAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, PreparedItem p, string keyId, CancellationToken ct)
    {
        var head = p.Head;
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO battery_passports (id, uuid, battery_id, operator_id, category, chemistry, status, lifecycle, current_version, current_hash, predecessor_id, successor_id, manufactured_at, created_at, updated_at) " +
            "VALUES (@Id, @uuid, @BatteryId, @OperatorId, @Category, @Chemistry, @status, 'active', 1, @CurrentHash, NULL, NULL, @ManufacturedAt, @at, @at)",
            new { head.Id, uuid = head.Uuid.ToString("D"), head.BatteryId, head.OperatorId, head.Category, head.Chemistry, status = head.Status.ToString(), head.CurrentHash, head.ManufacturedAt, at = Sql.Time(head.CreatedAt) },
            tx, cancellationToken: ct));
        var stream = StreamOf(p.Id);
        var payload = JsonSerializer.Serialize(new JournalPayload(p.Id, 1, p.Hash, null, keyId, p.Document.Change), PartyStore.Json);
        var e = await journal.AppendAsync(c, tx, stream, JournalType, payload, ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO battery_passport_versions (passport_id, version, recorded_at, change, status, signed_by, document, hash, signature, key_id, journal_stream, journal_height, journal_hash) " +
            "VALUES (@Id, 1, @at, @change, @status, @signedBy, @document, @Hash, @Signature, @keyId, @stream, @height, @journalHash)",
            new
            {
                p.Id, at = Sql.Time(head.CreatedAt), change = p.Document.Change, status = head.Status.ToString(), signedBy = p.Document.SignedBy,
                document = System.Text.Encoding.UTF8.GetString(p.Bytes), p.Hash, p.Signature, keyId, stream, height = e.Height, journalHash = e.Hash,
            }, tx, cancellationToken: ct));
    }

    private static List<string> Problems(Error error) =>
        error.Fields is { Count: > 0 } fields ? fields.SelectMany(f => f.Value.Select(m => $"{f.Key}: {m}")).ToList() : [error.Message];
}
