using System.Text.Json;
using Dapper;
using Socle.Modules.Voting.Verification;
using Socle.Platform;
using Socle.Platform.Journal;
using Socle.Platform.Storage;

namespace Socle.Modules.Voting.Boards;

/// <summary>A published board, as listed on the public pages.</summary>
public sealed record PublishedBoard(
    string Uuid, string Name, string Group, string State, long Ballots, long Counted, long SizeBytes,
    string BoardSha256, string Head, DateTimeOffset PublishedAt, DateTimeOffset UpdatedAt);

/// <summary>What a publication did: stored a new board, extended a stored one, or nothing (the same board again).</summary>
public enum PublishKind
{
    Created,
    Extended,
    Unchanged,
}

public sealed record PublishOutcome(PublishKind Kind, PublishedBoard Board);

/// <summary>
/// Published boards with their verification reports (table <c>voting_boards</c>). A board only grows: a new version
/// of an election's board must start with the bytes already stored (events are appended, never rewritten), which is
/// the check Belenios' <c>verify-diff</c> makes. Each publication is recorded in the journal stream
/// <c>voting/boards</c> in the same transaction.
/// </summary>
public sealed class BoardStore(Database db, Journal journal, TimeProvider time)
{
    public const string Stream = "voting/boards";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private const string Columns =
        "uuid AS Uuid, name AS Name, group_name AS \"Group\", state AS State, ballots AS Ballots, counted AS Counted, size_bytes AS SizeBytes, " +
        "board_sha256 AS BoardSha256, head AS Head, published_at AS PublishedAt, updated_at AS UpdatedAt";

    private sealed class Stored
    {
        public string Sha { get; set; } = "";

        public byte[] Board { get; set; } = [];
    }

    private sealed record Row(string Uuid, string Name, string Group, string State, long Ballots, long Counted, long SizeBytes,
        string BoardSha256, string Head, string PublishedAt, string UpdatedAt)
    {
        public PublishedBoard ToBoard() => new(Uuid, Name, Group, State, Ballots, Counted, SizeBytes, BoardSha256, Head,
            Sql.ParseTime(PublishedAt), Sql.ParseTime(UpdatedAt));
    }

    /// <summary>Stores a verified board. The report must be the successful verification of exactly these bytes.</summary>
    public Task<Result<PublishOutcome>> PublishAsync(byte[] board, VerificationReport report, CancellationToken ct = default)
    {
        if (!report.Ok || report.Uuid is null || report.Head is null)
        {
            return Task.FromResult(Result<PublishOutcome>.Fail(Error.Invalid("board_invalid", $"the board does not verify: {report.Problem}")));
        }
        var sha = Crypto.Hashing.Sha256Hex(board);
        return db.InTransactionAsync(async (c, tx) =>
        {
            var now = Sql.Time(time.GetUtcNow());
            var reportJson = JsonSerializer.Serialize(report, JsonOptions);
            var values = new
            {
                uuid = report.Uuid,
                name = report.Name ?? "",
                group = report.Group ?? "",
                state = report.State ?? "",
                ballots = (long)report.BallotsOnBoard,
                counted = (long)report.BallotsCounted,
                size = (long)board.Length,
                sha,
                head = report.Head,
                board,
                report = reportJson,
                now,
            };
            // Insert unless the election is already there; concurrent first publications wait for each other here.
            var inserted = await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO voting_boards (uuid, name, group_name, state, ballots, counted, size_bytes, board_sha256, head, board, report, published_at, updated_at) " +
                "VALUES (@uuid, @name, @group, @state, @ballots, @counted, @size, @sha, @head, @board, @report, @now, @now) ON CONFLICT (uuid) DO NOTHING",
                values, tx, cancellationToken: ct));
            PublishKind kind;
            if (inserted == 1)
            {
                kind = PublishKind.Created;
            }
            else
            {
                var existing = await c.QuerySingleAsync<Stored>(new CommandDefinition(
                    $"SELECT board_sha256 AS Sha, board AS Board FROM voting_boards WHERE uuid = @uuid{db.ForUpdate()}",
                    new { uuid = report.Uuid }, tx, cancellationToken: ct));
                if (existing.Sha == sha)
                {
                    kind = PublishKind.Unchanged;
                }
                else if (board.Length > existing.Board.Length && board.AsSpan(0, existing.Board.Length).SequenceEqual(existing.Board))
                {
                    await c.ExecuteAsync(new CommandDefinition(
                        "UPDATE voting_boards SET name = @name, group_name = @group, state = @state, ballots = @ballots, counted = @counted, size_bytes = @size, " +
                        "board_sha256 = @sha, head = @head, board = @board, report = @report, updated_at = @now WHERE uuid = @uuid", values, tx, cancellationToken: ct));
                    kind = PublishKind.Extended;
                }
                else
                {
                    return Result<PublishOutcome>.Fail(Error.Conflict("board_rewritten",
                        $"the board of election {report.Uuid} does not extend the one already published: a public board may only grow"));
                }
            }
            if (kind != PublishKind.Unchanged)
            {
                await journal.AppendAsync(c, tx, Stream, kind == PublishKind.Created ? "board.published" : "board.extended",
                    JsonSerializer.Serialize(new { uuid = report.Uuid, sha256 = sha, head = report.Head, state = report.State, ballots = report.BallotsOnBoard }, JsonOptions), ct);
            }
            var row = await c.QuerySingleAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM voting_boards WHERE uuid = @uuid", new { uuid = report.Uuid }, tx, cancellationToken: ct));
            return Result<PublishOutcome>.Ok(new PublishOutcome(kind, row.ToBoard()));
        }, ct);
    }

    public async Task<IReadOnlyList<PublishedBoard>> ListAsync(int limit = 100, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM voting_boards ORDER BY updated_at DESC, uuid LIMIT @limit", new { limit }, cancellationToken: ct));
        return rows.Select(r => r.ToBoard()).ToList();
    }

    public async Task<PublishedBoard?> GetAsync(string uuid, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM voting_boards WHERE uuid = @uuid", new { uuid }, cancellationToken: ct));
        return row?.ToBoard();
    }

    public async Task<VerificationReport?> GetReportAsync(string uuid, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var json = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition("SELECT report FROM voting_boards WHERE uuid = @uuid", new { uuid }, cancellationToken: ct));
        return json is null ? null : JsonSerializer.Deserialize<VerificationReport>(json, JsonOptions);
    }

    public async Task<byte[]?> GetBoardAsync(string uuid, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<byte[]>(new CommandDefinition("SELECT board FROM voting_boards WHERE uuid = @uuid", new { uuid }, cancellationToken: ct));
    }
}
