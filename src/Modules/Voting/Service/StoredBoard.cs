using System.Data.Common;
using System.Text;
using Dapper;
using Npgsql;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Records.Board;
using Socle.Platform.Storage;

namespace Socle.Modules.Voting.Service;

/// <summary>The end of the board: last event hash, height and type, the archive timestamp and the next record number.</summary>
internal sealed record BoardHead(string Head, long Height, string LastType, long Timestamp, long NextSeq)
{
    public EventType Type => Enum.Parse<EventType>(LastType);

    /// <summary>True while ballots may be appended (after Setup, before EndBallots).</summary>
    public bool AcceptsBallots => Type is EventType.Setup or EventType.Ballot;
}

/// <summary>A data record of the board: its content and the SHA-256 (hexadecimal) that names it.</summary>
internal readonly record struct DataRecord(string Content, string Sha256Hex)
{
    public static DataRecord Of(string content) => new(content, Hashing.Sha256Hex(content));

    public (string Name, string Content) Named => (StoredBoard.DataName(Sha256Hex), Content);
}

/// <summary>
/// An election's public board kept in its database, record by record, exactly as the <c>.bel</c> archive holds them
/// (the same records <see cref="Elections.ElectionBoard"/> writes to a file): data records named by the SHA-256 of
/// their content and events chained by their parent hash. Every append happens in the caller's transaction with the
/// head row locked, so a ballot, the émargement mark and the receipt are written together or not at all.
/// </summary>
internal static class StoredBoard
{
    public static async Task<BoardHead?> HeadAsync(Database db, DbConnection c, DbTransaction? tx, bool forUpdate) =>
        await c.QuerySingleOrDefaultAsync<BoardHead>(
            "SELECT head AS Head, height AS Height, last_type AS LastType, timestamp AS Timestamp, next_seq AS NextSeq FROM board_head WHERE id = 1" +
            (forUpdate ? db.ForUpdate() : ""), transaction: tx);

    /// <summary>Writes the header, election, trustees, public credentials, setup data and the Setup event.</summary>
    public static async Task<BoardHead> InitAsync(DbConnection c, DbTransaction tx, ElectionRecord election, TrusteesRecord trustees, string publicCredentialsJson, long timestamp)
    {
        var trusteesData = DataRecord.Of(trustees.Raw);
        var credentialsData = DataRecord.Of(publicCredentialsJson);
        var setup = DataRecord.Of(new SetupData(election.HashHex, trusteesData.Sha256Hex, credentialsData.Sha256Hex).ToJson());
        var setupEvent = new BoardEvent(null, 0, EventType.Setup, setup.Sha256Hex).ToJson();
        var head = Hashing.Sha256Hex(setupEvent);
        var records = new List<(string, string)>
        {
            ("BELENIOS", Archive.HeaderJson(timestamp)),
            DataRecord.Of(election.Raw).Named, trusteesData.Named, credentialsData.Named, setup.Named,
            ($"{head}.event.json", setupEvent),
        };
        await InsertAsync(c, tx, 0, records);
        var boardHead = new BoardHead(head, 0, nameof(EventType.Setup), timestamp, records.Count);
        await c.ExecuteAsync("INSERT INTO board_head (id, head, height, last_type, timestamp, next_seq) VALUES (1, @Head, @Height, @LastType, @Timestamp, @NextSeq)", boardHead, tx);
        return boardHead;
    }

    /// <summary>The name of the data record whose content has this SHA-256 (hexadecimal).</summary>
    public static string DataName(string sha256Hex) => $"{sha256Hex}.data.json";

    /// <summary>
    /// Appends events (each with the data records it refers to; its payload is the hash of the last one, none without
    /// data) after <paramref name="head"/> and moves the head. Returns the new head; the caller's transaction makes it
    /// durable.
    /// </summary>
    public static async Task<BoardHead> AppendAsync(DbConnection c, DbTransaction tx, BoardHead head, IReadOnlyList<(IReadOnlyList<DataRecord> Data, EventType Type)> events)
    {
        if (c is NpgsqlConnection pg)
        {
            await using var batch = new NpgsqlBatch(pg, (NpgsqlTransaction)tx);
            var appended = AppendTo(batch, head, events);
            await batch.ExecuteNonQueryAsync();
            return appended;
        }
        var (records, next) = Plan(head, events);
        await InsertAsync(c, tx, head.NextSeq, records);
        await c.ExecuteAsync("UPDATE board_head SET head = @Head, height = @Height, last_type = @LastType, next_seq = @NextSeq WHERE id = 1", next, tx);
        return next;
    }

    /// <summary>
    /// The same append as <see cref="AppendAsync"/> on PostgreSQL, as two commands added to the caller's batch, so that
    /// the cast path sends the board's writes with its own in one round trip.
    /// </summary>
    public static BoardHead AppendTo(NpgsqlBatch batch, BoardHead head, IReadOnlyList<(IReadOnlyList<DataRecord> Data, EventType Type)> events)
    {
        var (records, next) = Plan(head, events);
        batch.BatchCommands.Add(Insert(head.NextSeq, records));
        batch.BatchCommands.Add(PgCommand("UPDATE board_head SET head = $1, height = $2, last_type = $3, next_seq = $4 WHERE id = 1",
            next.Head, next.Height, next.LastType, next.NextSeq));
        return next;
    }

    /// <summary>The records that append <paramref name="events"/> after <paramref name="head"/>, and the new head.</summary>
    private static (List<(string Name, string Content)> Records, BoardHead Next) Plan(BoardHead head, IReadOnlyList<(IReadOnlyList<DataRecord> Data, EventType Type)> events)
    {
        var records = new List<(string Name, string Content)>();
        var parent = head.Head;
        var height = head.Height;
        var type = head.LastType;
        foreach (var (data, t) in events)
        {
            records.AddRange(data.Select(d => d.Named));
            height++;
            var e = new BoardEvent(parent, checked((int)height), t, data.Count == 0 ? null : data[^1].Sha256Hex).ToJson();
            parent = Hashing.Sha256Hex(e);
            records.Add(($"{parent}.event.json", e));
            type = t.ToString();
        }
        return (records, new BoardHead(parent, height, type, head.Timestamp, head.NextSeq + records.Count));
    }

    /// <summary>A batch command with positional parameters ($1, $2 …).</summary>
    public static NpgsqlBatchCommand PgCommand(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var v in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = v });
        }
        return command;
    }

    /// <summary>On PostgreSQL one statement for all the records (arrays unnested).</summary>
    private static NpgsqlBatchCommand Insert(long firstSeq, IReadOnlyList<(string Name, string Content)> records) =>
        PgCommand("INSERT INTO board (seq, name, content) SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[])",
            records.Select((_, i) => firstSeq + i).ToArray(), records.Select(r => r.Name).ToArray(), records.Select(r => r.Content).ToArray());

    /// <summary>On PostgreSQL one statement for all the records; on SQLite, in process, one per record.</summary>
    private static async Task InsertAsync(DbConnection c, DbTransaction tx, long firstSeq, IReadOnlyList<(string Name, string Content)> records)
    {
        if (c is NpgsqlConnection pg)
        {
            await using var batch = new NpgsqlBatch(pg, (NpgsqlTransaction)tx) { BatchCommands = { Insert(firstSeq, records) } };
            await batch.ExecuteNonQueryAsync();
            return;
        }
        await c.ExecuteAsync("INSERT INTO board (seq, name, content) VALUES (@Seq, @Name, @Content)",
            records.Select((r, i) => new { Seq = firstSeq + i, r.Name, r.Content }), tx);
    }

    /// <summary>The board as a Belenios <c>.bel</c> archive, byte for byte what <c>socle vote verify</c> and belenios-tool read.</summary>
    public static async Task<byte[]> ExportAsync(Database db, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await ExportAsync(db, c, null, ct);
    }

    /// <summary>The board as of the caller's transaction (a snapshot when the transaction is one).</summary>
    public static async Task<byte[]> ExportAsync(Database db, DbConnection c, DbTransaction? tx, CancellationToken ct)
    {
        var head = await HeadAsync(db, c, tx, false) ?? throw new InvalidOperationException("the board is not created yet");
        var rows = await c.QueryAsync<(string Name, string Content)>(new CommandDefinition("SELECT name, content FROM board WHERE seq < @n ORDER BY seq", new { n = head.NextSeq }, tx, cancellationToken: ct));
        using var stream = new MemoryStream();
        foreach (var (name, content) in rows)
        {
            Archive.WriteRecord(stream, name, Encoding.UTF8.GetBytes(content), head.Timestamp);
        }
        return stream.ToArray();
    }

    /// <summary>The content of the data record an event points to.</summary>
    public static Task<string?> DataAsync(DbConnection c, string hash) =>
        c.QuerySingleOrDefaultAsync<string?>("SELECT content FROM board WHERE name = @n", new { n = $"{hash}.data.json" });
}
