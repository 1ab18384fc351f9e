using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Records.Board;
using Socle.Modules.Voting.Verification;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Voting.Service;

/// <summary>What a voter gets once their ballot is on the board: the tracking number to find it in the ballot box.</summary>
public sealed record CastReceipt(string ElectionId, string TrackingNumber, long Height, DateTimeOffset CastAt, string Fingerprint, bool Replaced);

public sealed record VoterSession(string Token, string VoterId, DateTimeOffset ExpiresAt);

public sealed record VoterStatus(string ElectionId, string VoterId, string? Name, DateTimeOffset? VotedAt, int Ballots, string? LastTracking, bool Paper);

public sealed record BoxEntry(string TrackingNumber, long Height);

public sealed record EmargementEntry(string VoterId, string? Name, DateTimeOffset? VotedAt, bool Paper);

public sealed record IntegrityAlert(DateTimeOffset At, string Message);

public sealed partial class ElectionService
{
    private readonly ConcurrentDictionary<string, CastWriter> _casting = new(StringComparer.Ordinal);

    /// <summary>Per election, the ballots known valid, so the integrity monitor does not check their proofs again.</summary>
    private readonly ConcurrentDictionary<string, ValidBallots> _validBallots = new(StringComparer.Ordinal);

    /// <summary>
    /// Ballots whose signature and proofs were found valid: by the monitor's earlier checks, and by the cast path since
    /// (queued, and taken in at the monitor's next check, so casting never waits for a check in progress). A ballot is
    /// known by the SHA-256 of its exact content, which the monitor checks on every pass, so a ballot changed in the
    /// database is checked again in full. The cast path adds to it only while the monitor runs.
    /// </summary>
    private sealed class ValidBallots
    {
        private readonly HashSet<string> _known = new(StringComparer.Ordinal);

        public ConcurrentQueue<string> FromCasts { get; } = new();

        /// <summary>The public credentials as the last check read them (a pass then decodes only new ballots).</summary>
        public VerifyMemory Memory { get; } = new();

        /// <summary>Everything known, the casts' ballots included; for the monitor, under a lock on this object.</summary>
        public HashSet<string> TakeCasts()
        {
            while (FromCasts.TryDequeue(out var hash))
            {
                _known.Add(hash);
            }
            return _known;
        }
    }

    // ---- voter sign-in -------------------------------------------------------------------------------------------

    /// <summary>
    /// First step of signing in by one-time code: a code is e-mailed to the voter. The answer is the same whether or
    /// not the id is on the roll, so the roll cannot be probed.
    /// </summary>
    public async Task<Error?> StartLoginAsync(string id, string voterId, CancellationToken ct = default)
    {
        var view = await GetAsync(id, ct);
        if (!view.IsSuccess)
        {
            return view.Error;
        }
        if (view.Value.Definition.VoterAuthentication != "code")
        {
            return Error.Conflict("password_login", "this election signs voters in with the password they received");
        }
        if (!mailer.Available)
        {
            return Error.Conflict("no_mail", "no SMTP server is configured (Socle:Voting:SmtpHost): one-time codes cannot be sent");
        }
        var db = store.Open(id);
        await using var c = await db.OpenAsync(ct);
        var email = await c.QuerySingleOrDefaultAsync<string?>("SELECT email FROM voters WHERE voter_id = @voterId AND paper = 0", new { voterId });
        if (email is null)
        {
            return null;
        }
        var code = Secrets.NewCode();
        await c.ExecuteAsync("DELETE FROM codes WHERE voter_id = @voterId; INSERT INTO codes (voter_id, code_hash, expires_at, attempts) VALUES (@voterId, @hash, @exp, 0)",
            new { voterId, hash = Secrets.Hash(id + "|" + voterId + "|" + code), exp = Sql.Time(time.GetUtcNow().AddMinutes(10)) });
        await mailer.SendAsync(email, $"{view.Value.Definition.Name} — code de connexion / sign-in code",
            $"Votre code de connexion : {code} (valable 10 minutes).\nYour sign-in code: {code} (valid for 10 minutes).\n", ct);
        return null;
    }

    /// <summary>Second step: the one-time code (or the password) gives a session for the booth.</summary>
    public async Task<Result<VoterSession>> LoginAsync(string id, string voterId, string secret, CancellationToken ct = default)
    {
        var view = await GetAsync(id, ct);
        if (!view.IsSuccess)
        {
            return view.Error!;
        }
        var refused = Error.Unauthorized("The voter id or the code/password is wrong (or the code has expired: ask for a new one).");
        var db = store.Open(id);
        await using var c = await db.OpenAsync(ct);
        var voter = await c.QuerySingleOrDefaultAsync<(string Id, string? Pw, long Paper)?>("SELECT voter_id, password_hash, paper FROM voters WHERE voter_id = @voterId", new { voterId });
        if (voter is not { } v || string.IsNullOrEmpty(secret))
        {
            return refused;
        }
        if (v.Paper != 0)
        {
            return Error.Forbidden("This voter has voted on paper and cannot vote online.");
        }
        var now = time.GetUtcNow();
        if (view.Value.Definition.VoterAuthentication == "code")
        {
            var code = await c.QuerySingleOrDefaultAsync<(string Hash, string Exp, long Attempts)?>("SELECT code_hash, expires_at, attempts FROM codes WHERE voter_id = @voterId", new { voterId });
            if (code is not { } k || Sql.ParseTime(k.Exp) < now || k.Attempts >= 5)
            {
                return refused;
            }
            if (!Secrets.SameHash(k.Hash, id + "|" + voterId + "|" + secret.Trim()))
            {
                await c.ExecuteAsync("UPDATE codes SET attempts = attempts + 1 WHERE voter_id = @voterId", new { voterId });
                return refused;
            }
            await c.ExecuteAsync("DELETE FROM codes WHERE voter_id = @voterId", new { voterId });
        }
        else if (!Secrets.CheckPassword(v.Pw, secret))
        {
            return refused;
        }
        var token = Secrets.NewToken();
        var expires = now.AddMinutes(options.Value.SessionMinutes);
        await c.ExecuteAsync("INSERT INTO sessions (token_hash, voter_id, expires_at) VALUES (@h, @voterId, @exp)", new { h = Secrets.Hash(token), voterId, exp = Sql.Time(expires) });
        return new VoterSession(token, voterId, expires);
    }

    /// <summary>A signed-in voter, as the sessions and the roll give them.</summary>
    private sealed class SessionRow
    {
        public string TokenHash { get; init; } = "";

        public string VoterId { get; init; } = "";

        public string? Name { get; init; }

        public string? Credential { get; init; }

        public long Paper { get; init; }

        public string? VotedAt { get; init; }

        public long Ballots { get; init; }

        public string? Last { get; init; }

        public string ExpiresAt { get; init; } = "";
    }

    /// <summary>The sessions and their voters, for tokens given by hash after <c>WHERE s.token_hash</c>.</summary>
    private const string SessionsByToken =
        "SELECT s.token_hash AS TokenHash, v.voter_id AS VoterId, v.name AS Name, v.credential AS Credential, v.paper AS Paper, v.voted_at AS VotedAt, " +
        "v.ballots AS Ballots, v.last_tracking AS Last, s.expires_at AS ExpiresAt FROM sessions s JOIN voters v ON v.voter_id = s.voter_id WHERE s.token_hash ";

    private async Task<SessionRow?> SessionVoterAsync(DbConnection c, string token) =>
        Live(await c.QuerySingleOrDefaultAsync<SessionRow>(SessionsByToken + "= @h", new { h = Secrets.Hash(token) }));

    /// <summary>The session's voter while the session lasts, otherwise null.</summary>
    private SessionRow? Live(SessionRow? row) => row is not null && Sql.ParseTime(row.ExpiresAt) > time.GetUtcNow() ? row : null;

    public async Task<Result<VoterStatus>> VoterStatusAsync(string id, string? token, CancellationToken ct = default)
    {
        if (await CatalogAsync(id, ct) is null)
        {
            return Error.NotFound($"Election {id}");
        }
        await using var c = await store.Open(id).OpenAsync(ct);
        if (token is null || await SessionVoterAsync(c, token) is not { } v)
        {
            return Error.Unauthorized("Sign in to vote (your session may have expired).");
        }
        return new VoterStatus(id, v.VoterId, v.Name, v.VotedAt is null ? null : Sql.ParseTime(v.VotedAt), (int)v.Ballots, v.Last, v.Paper != 0);
    }

    // ---- casting -------------------------------------------------------------------------------------------------

    /// <summary>
    /// Casts a ballot encrypted in the voter's browser. Checked first (canonical form, this election, the signed-in
    /// voter's own credential, signature and every proof), then, in one transaction shared by the ballots arriving
    /// together: appended to the board, the voter marked in the émargement list, the receipt recorded under the
    /// idempotency key. A retry with the same key gets the same receipt; a copy of a ballot already on the board is
    /// refused (replay); outside the opening times or after closing, nothing is written.
    /// </summary>
    public async Task<Result<CastReceipt>> CastAsync(string id, string? sessionToken, string ballotJson, string? idempotencyKey, CancellationToken ct = default)
    {
        if (idempotencyKey is { Length: > 200 })
        {
            return Error.Validation("Idempotency-Key", "is at most 200 characters");
        }
        // A live writer means the election was open when it was made (closing removes it); the transaction that
        // records the ballot checks the board still accepts ballots in any case.
        if (!_casting.TryGetValue(id, out var writer))
        {
            if (await CatalogAsync(id, ct) is not { } row)
            {
                return Error.NotFound($"Election {id}");
            }
            if (row.State != ElectionStates.Open)
            {
                return Error.Conflict("not_open", $"ballots are accepted only while the election is open (it is {row.State})");
            }
            writer = await WriterAsync(id, ct);
        }
        else if (!Serves(id))
        {
            return Error.NotFound($"Election {id}");
        }
        if (sessionToken is null || await writer.SessionVoterAsync(sessionToken, ct) is not { } voter)
        {
            return Error.Unauthorized("Sign in to vote (your session may have expired).");
        }
        if (voter.Paper != 0)
        {
            return Error.Forbidden("This voter has voted on paper and cannot vote online.");
        }
        if (!InWindow(writer.Definition, time.GetUtcNow()))
        {
            return Error.Conflict("outside_hours", "the vote is not open at this time (see the opening and closing times)");
        }
        Ballot ballot;
        try
        {
            ballot = Ballot.Parse(ballotJson, writer.Election.Group, checkMembership: false);
        }
        catch (RecordFormatException e)
        {
            return Error.Validation("ballot", e.Message);
        }
        if (!string.Equals(ballot.Credential.Encoded, voter.Credential, StringComparison.Ordinal))
        {
            return Error.Invalid("wrong_credential", "ballot: it is not signed with the credential of the signed-in voter (its credential is not theirs, or not in this election's list)");
        }
        if (await writer.CheckAsync(ballot, ct) is { } problem)
        {
            return Error.Invalid(problem.Code, $"ballot: {problem.Message}");
        }
        if (options.Value.IntegrityCheckSeconds > 0)
        {
            _validBallots.GetOrAdd(id, _ => new ValidBallots()).FromCasts.Enqueue(ballot.HashHex);
        }
        var pending = new PendingCast(voter.VoterId, ballot, idempotencyKey ?? ("auto:" + ballot.TrackingNumber));
        await writer.Queue.Writer.WriteAsync(pending, ct);
        return await pending.Done.Task.WaitAsync(ct);
    }

    private async Task<CastWriter> WriterAsync(string id, CancellationToken ct)
    {
        if (_casting.TryGetValue(id, out var w))
        {
            return w;
        }
        var db = store.Open(id);
        await using var c = await db.OpenAsync(ct);
        var s = await SettingsAsync(c, null);
        var created = new CastWriter(this, id, db, ElectionRecord.Parse(s["election"]), JsonSerializer.Deserialize<ElectionDefinition>(s["definition"], JsonOptions)!);
        if (_casting.TryAdd(id, created))
        {
            created.Start();
            return created;
        }
        created.Dispose();
        return _casting[id];
    }

    /// <summary>Forget the cached definition (times changed) so the next cast reads it again.</summary>
    internal void Refresh(string id)
    {
        if (_casting.TryRemove(id, out var w))
        {
            w.Queue.Writer.TryComplete();
            w.Dispose();
        }
    }

    private sealed record PendingCast(string VoterId, Ballot Ballot, string Key)
    {
        public TaskCompletionSource<Result<CastReceipt>> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// One writer per election: checked ballots queue here and are written in group commits (all the ballots waiting,
    /// up to 256, in one transaction), which keeps board order and lets a slow disk absorb a burst. Nobody gets a
    /// receipt before the commit that holds their ballot.
    /// </summary>
    private sealed class CastWriter(ElectionService service, string id, Database db, ElectionRecord election, ElectionDefinition definition)
    {
        public Database Db => db;

        public ElectionRecord Election => election;

        public ElectionDefinition Definition => definition;

        public Channel<PendingCast> Queue { get; } = Channel.CreateBounded<PendingCast>(new BoundedChannelOptions(10_000) { SingleReader = true });

        /// <summary>Every proof and the signature, eight ballots at a time when many arrive together.</summary>
        public BallotBatcher Verifier { get; } = new(election, Environment.ProcessorCount);

        /// <summary>The signed-in voters of the casts arriving together, found in one query.</summary>
        private readonly SessionLookup _sessions = new(db);

        public void Dispose()
        {
            Verifier.Dispose();
            _sessions.Dispose();
        }

        public async Task<SessionRow?> SessionVoterAsync(string token, CancellationToken ct)
        {
            try
            {
                return service.Live(await _sessions.FindAsync(token, ct));
            }
            catch (ObjectDisposedException)
            {
                // The election's times changed or it closed as this cast arrived: one query of its own.
                await using var c = await db.OpenAsync(ct);
                return await service.SessionVoterAsync(c, token);
            }
        }

        public async Task<BallotProblem?> CheckAsync(Ballot ballot, CancellationToken ct)
        {
            try
            {
                return await Verifier.CheckAsync(ballot, ct);
            }
            catch (ObjectDisposedException)
            {
                // The election's times changed or it closed while this ballot arrived: check it alone; the
                // transaction that would record it decides whether the vote is still open.
                return new BallotChecker(election).Check(ballot);
            }
        }

        public void Start() => _ = Task.Run(RunAsync);

        private async Task RunAsync()
        {
            var batch = new List<PendingCast>(256);
            while (await Queue.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < 256 && Queue.Reader.TryRead(out var p))
                {
                    batch.Add(p);
                }
                try
                {
                    var results = await service.WriteBatchAsync(id, db, election, definition, batch);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        batch[i].Done.TrySetResult(results[i]);
                    }
                }
                catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
                {
                    Log.CastBatchFailed(service.Logger, id, e.GetType().Name + ": " + e.Message);
                    foreach (var p in batch)
                    {
                        p.Done.TrySetResult(Error.Conflict("cast_failed", "the ballot could not be recorded; nothing was written — try again with the same Idempotency-Key"));
                    }
                }
            }
        }
    }

    /// <summary>
    /// Finds the sessions of the casts waiting, in one query for all of them (up to 64): under load one round trip
    /// serves a group of voters instead of one each. A quiet election gets its answer from a query of one.
    /// </summary>
    private sealed class SessionLookup : IDisposable
    {
        private readonly Channel<(string Hash, TaskCompletionSource<SessionRow?> Done)> _queue =
            Channel.CreateUnbounded<(string, TaskCompletionSource<SessionRow?>)>(new UnboundedChannelOptions { SingleReader = true });

        public SessionLookup(Database db) => _ = Task.Run(() => RunAsync(db));

        public Task<SessionRow?> FindAsync(string token, CancellationToken ct)
        {
            var done = new TaskCompletionSource<SessionRow?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_queue.Writer.TryWrite((Secrets.Hash(token), done)))
            {
                throw new ObjectDisposedException(nameof(SessionLookup));
            }
            return done.Task.WaitAsync(ct);
        }

        public void Dispose() => _queue.Writer.TryComplete();

        private async Task RunAsync(Database db)
        {
            var batch = new List<(string Hash, TaskCompletionSource<SessionRow?> Done)>(64);
            while (await _queue.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < 64 && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                try
                {
                    var hashes = batch.Select(b => b.Hash).Distinct().ToArray();
                    await using var c = await db.OpenAsync();
                    var rows = (await c.QueryAsync<SessionRow>(SessionsByToken + In(db, "hashes"), new { hashes }))
                        .ToDictionary(r => r.TokenHash, StringComparer.Ordinal);
                    foreach (var (hash, done) in batch)
                    {
                        done.TrySetResult(rows.GetValueOrDefault(hash));
                    }
                }
                catch (Exception e)
                {
                    foreach (var (_, done) in batch)
                    {
                        done.TrySetException(e);
                    }
                }
            }
        }
    }

    /// <summary>What a batch of casts needs to know before deciding: the board head (locked), the receipts already
    /// given under its keys, which of its ballots are already on the board, and its voters' ballot counts.</summary>
    private sealed record CastState(BoardHead? Head, Dictionary<string, (string Key, string VoterId, string Tracking, long Height, string At)> Known,
        HashSet<string> OnBoard, List<(string VoterId, long Ballots, long Paper)> Roll);

    private async Task<Result<CastReceipt>[]> WriteBatchAsync(string id, Database db, ElectionRecord election, ElectionDefinition definition, List<PendingCast> batch)
    {
        var results = new Result<CastReceipt>[batch.Count];
        await db.InTransactionAsync(async (c, tx) =>
        {
            var keys = batch.Select(b => b.Key).Distinct().ToArray();
            var trackings = batch.Select(b => b.Ballot.TrackingNumber).Distinct().ToArray();
            var voterIds = batch.Select(b => b.VoterId).Distinct().ToArray();
            var state = c is NpgsqlConnection pg
                ? await ReadCastStateAsync(pg, (NpgsqlTransaction)tx, keys, trackings, voterIds)
                : await ReadCastStateAsync(db, c, tx, keys, trackings, voterIds);
            var head = state.Head;
            var now = time.GetUtcNow();
            if (head is null || !head.AcceptsBallots || !InWindow(definition, now))
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = Error.Conflict("closed", "voting is closed: the ballot was not recorded");
                }
                return;
            }
            var known = state.Known;
            var onBoard = state.OnBoard;
            var voted = state.Roll.ToDictionary(v => v.VoterId, v => v.Ballots, StringComparer.Ordinal);
            var paper = state.Roll.Where(v => v.Paper != 0).Select(v => v.VoterId).ToHashSet(StringComparer.Ordinal);
            var events = new List<(IReadOnlyList<DataRecord>, EventType)>();
            var accepted = new List<(int Index, long Height)>();
            var height = head.Height;
            for (var i = 0; i < batch.Count; i++)
            {
                var p = batch[i];
                if (known.TryGetValue(p.Key, out var k))
                {
                    results[i] = k.VoterId == p.VoterId && k.Tracking == p.Ballot.TrackingNumber
                        ? new CastReceipt(id, k.Tracking, k.Height, Sql.ParseTime(k.At), election.Fingerprint, false)
                        : Error.Conflict("idempotency_key_reused", "Idempotency-Key: this key was used for another ballot");
                    continue;
                }
                if (paper.Contains(p.VoterId))
                {
                    results[i] = Error.Forbidden("This voter has voted on paper and cannot vote online.");
                    continue;
                }
                if (!onBoard.Add(p.Ballot.TrackingNumber))
                {
                    results[i] = Error.Conflict("replayed", "ballot: this ballot is already on the board (a replayed ballot is refused)");
                    continue;
                }
                if (!definition.Revote && voted.GetValueOrDefault(p.VoterId) > 0)
                {
                    results[i] = Error.Conflict("already_voted", "this election does not allow voting again; your first ballot stands");
                    continue;
                }
                voted[p.VoterId] = voted.GetValueOrDefault(p.VoterId) + 1;
                height++;
                events.Add(([new DataRecord(p.Ballot.Raw, p.Ballot.HashHex)], EventType.Ballot));
                accepted.Add((i, height));
                known[p.Key] = (p.Key, p.VoterId, p.Ballot.TrackingNumber, height, Sql.Time(now));
            }
            if (accepted.Count == 0)
            {
                return;
            }
            var at = Sql.Time(now);
            var rows = accepted.Select(a => (Cast: batch[a.Index], a.Height)).ToList();
            // Per voter: how many ballots this batch adds and the last one (a voter may revote within one batch).
            var marks = rows.GroupBy(r => r.Cast.VoterId, StringComparer.Ordinal)
                .Select(g => (VoterId: g.Key, Count: (long)g.Count(), Last: g.MaxBy(r => r.Height).Cast.Ballot.TrackingNumber)).ToList();
            if (c is NpgsqlConnection connection)
            {
                // The board, the ballot box, the receipts and the émargement list in one round trip (arrays unnested:
                // one statement per table for the whole batch), then the commit.
                await using var write = new NpgsqlBatch(connection, (NpgsqlTransaction)tx);
                StoredBoard.AppendTo(write, head, events);
                write.BatchCommands.Add(StoredBoard.PgCommand("INSERT INTO ballots (tracking, credential, data_name, height, cast_at) SELECT t, cr, d, h, $5 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[]) AS u(t, cr, d, h)",
                    rows.Select(r => r.Cast.Ballot.TrackingNumber).ToArray(), rows.Select(r => r.Cast.Ballot.Credential.Encoded).ToArray(),
                    rows.Select(r => StoredBoard.DataName(r.Cast.Ballot.HashHex)).ToArray(), rows.Select(r => r.Height).ToArray(), at));
                write.BatchCommands.Add(StoredBoard.PgCommand("INSERT INTO casts (idempotency_key, voter_id, tracking, height, cast_at) SELECT k, v, t, h, $5 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::bigint[]) AS u(k, v, t, h)",
                    rows.Select(r => r.Cast.Key).ToArray(), rows.Select(r => r.Cast.VoterId).ToArray(), rows.Select(r => r.Cast.Ballot.TrackingNumber).ToArray(),
                    rows.Select(r => r.Height).ToArray(), at));
                write.BatchCommands.Add(StoredBoard.PgCommand("UPDATE voters SET voted_at = $4, ballots = ballots + u.n, last_tracking = u.t FROM UNNEST($1::text[], $2::bigint[], $3::text[]) AS u(v, n, t) WHERE voter_id = u.v",
                    marks.Select(m => m.VoterId).ToArray(), marks.Select(m => m.Count).ToArray(), marks.Select(m => m.Last).ToArray(), at));
                await write.ExecuteNonQueryAsync();
            }
            else
            {
                await StoredBoard.AppendAsync(c, tx, head, events);
                await c.ExecuteAsync("INSERT INTO ballots (tracking, credential, data_name, height, cast_at) VALUES (@Tracking, @Credential, @DataName, @Height, @At)",
                    rows.Select(r => new { Tracking = r.Cast.Ballot.TrackingNumber, Credential = r.Cast.Ballot.Credential.Encoded, DataName = StoredBoard.DataName(r.Cast.Ballot.HashHex), r.Height, At = at }), tx);
                await c.ExecuteAsync("INSERT INTO casts (idempotency_key, voter_id, tracking, height, cast_at) VALUES (@Key, @VoterId, @Tracking, @Height, @At)",
                    rows.Select(r => new { r.Cast.Key, r.Cast.VoterId, Tracking = r.Cast.Ballot.TrackingNumber, r.Height, At = at }), tx);
                await c.ExecuteAsync("UPDATE voters SET voted_at = @At, ballots = ballots + @Count, last_tracking = @Last WHERE voter_id = @VoterId",
                    marks.Select(m => new { At = at, m.Count, m.Last, m.VoterId }), tx);
            }
            foreach (var (index, h) in accepted)
            {
                var b = batch[index];
                results[index] = new CastReceipt(id, b.Ballot.TrackingNumber, h, now, election.Fingerprint, voted[b.VoterId] > 1);
            }
        });
        return results;
    }

    private static async Task<CastState> ReadCastStateAsync(Database db, DbConnection c, DbTransaction tx, string[] keys, string[] trackings, string[] voterIds)
    {
        var head = await StoredBoard.HeadAsync(db, c, tx, forUpdate: true);
        var known = (await c.QueryAsync<(string Key, string VoterId, string Tracking, long Height, string At)>(
            "SELECT idempotency_key, voter_id, tracking, height, cast_at FROM casts WHERE idempotency_key " + In(db, "keys"), new { keys }, tx))
            .ToDictionary(k => k.Key, StringComparer.Ordinal);
        var onBoard = (await c.QueryAsync<string>("SELECT tracking FROM ballots WHERE tracking " + In(db, "trackings"), new { trackings }, tx)).ToHashSet(StringComparer.Ordinal);
        var roll = (await c.QueryAsync<(string VoterId, long Ballots, long Paper)>("SELECT voter_id, ballots, paper FROM voters WHERE voter_id " + In(db, "voterIds"), new { voterIds }, tx)).ToList();
        return new CastState(head, known, onBoard, roll);
    }

    /// <summary>The same reads on PostgreSQL, in one round trip: the head locked first, then the three lookups.</summary>
    private static async Task<CastState> ReadCastStateAsync(NpgsqlConnection c, NpgsqlTransaction tx, string[] keys, string[] trackings, string[] voterIds)
    {
        await using var read = new NpgsqlBatch(c, tx)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT head, height, last_type, timestamp, next_seq FROM board_head WHERE id = 1 FOR UPDATE"),
                StoredBoard.PgCommand("SELECT idempotency_key, voter_id, tracking, height, cast_at FROM casts WHERE idempotency_key = ANY($1)", (object)keys),
                StoredBoard.PgCommand("SELECT tracking FROM ballots WHERE tracking = ANY($1)", (object)trackings),
                StoredBoard.PgCommand("SELECT voter_id, ballots, paper FROM voters WHERE voter_id = ANY($1)", (object)voterIds),
            },
        };
        await using var r = await read.ExecuteReaderAsync();
        BoardHead? head = null;
        if (await r.ReadAsync())
        {
            head = new BoardHead(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4));
        }
        await r.NextResultAsync();
        var known = new Dictionary<string, (string Key, string VoterId, string Tracking, long Height, string At)>(StringComparer.Ordinal);
        while (await r.ReadAsync())
        {
            known[r.GetString(0)] = (r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4));
        }
        await r.NextResultAsync();
        var onBoard = new HashSet<string>(StringComparer.Ordinal);
        while (await r.ReadAsync())
        {
            onBoard.Add(r.GetString(0));
        }
        await r.NextResultAsync();
        var roll = new List<(string VoterId, long Ballots, long Paper)>();
        while (await r.ReadAsync())
        {
            roll.Add((r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
        }
        return new CastState(head, known, onBoard, roll);
    }

    /// <summary>A list parameter: <c>= ANY(@p)</c> on PostgreSQL (one array parameter), <c>IN @p</c> (expanded) on SQLite.</summary>
    private static string In(Database db, string parameter) => db.IsPostgres ? $"= ANY(@{parameter})" : $"IN @{parameter}";

    // ---- public ballot box, émargement, mixed paper ---------------------------------------------------------------

    public async Task<Result<IReadOnlyList<BoxEntry>>> BallotBoxAsync(string id, CancellationToken ct = default)
    {
        if (await CatalogAsync(id, ct) is not { } row || row.State == ElectionStates.Destroyed)
        {
            return Error.NotFound($"Election {id}");
        }
        await using var c = await store.Open(id).OpenAsync(ct);
        return (await c.QueryAsync<(string T, long H)>("SELECT tracking, height FROM ballots ORDER BY height")).Select(b => new BoxEntry(b.T, b.H)).ToList();
    }

    /// <summary>The émargement list: who voted online and when, and who voted on paper — never how.</summary>
    public async Task<Result<IReadOnlyList<EmargementEntry>>> EmargementAsync(string id, CancellationToken ct = default)
    {
        var voters = await VotersAsync(id, ct);
        return voters.IsSuccess ? voters.Value.Select(v => new EmargementEntry(v.VoterId, v.Name, v.VotedAt, v.Paper)).ToList() : voters.Error!;
    }

    /// <summary>The voters who voted online, as CSV, so their paper ballots are set aside in a mixed election.</summary>
    public async Task<Result<string>> InternetVotersCsvAsync(string id, CancellationToken ct = default)
    {
        var list = await EmargementAsync(id, ct);
        if (!list.IsSuccess)
        {
            return list.Error!;
        }
        var sb = new StringBuilder("voter_id,name,voted_at\n");
        foreach (var v in list.Value.Where(v => v.VotedAt is not null))
        {
            sb.Append(CultureInfo.InvariantCulture, $"{VoterCsv.Field(v.VoterId)},{VoterCsv.Field(v.Name)},{v.VotedAt:yyyy-MM-ddTHH:mm:ssZ}\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// Marks voters who voted on paper (a CSV with an <c>id</c> column): they can no longer sign in or cast online. A
    /// voter who has already voted online is refused, by name, and nothing is marked.
    /// </summary>
    public async Task<Result<int>> ImportPaperVotersAsync(string id, string csv, CancellationToken ct = default)
    {
        var parsed = VoterCsv.Parse(csv, idOnly: true);
        if (!parsed.IsSuccess)
        {
            return parsed.Error!;
        }
        var ids = parsed.Value.Select(v => v.Id).ToArray();
        var db = store.Open(id);
        var r = await TransitionAsync(id, [ElectionStates.Setup, ElectionStates.Open], null, "paper_voters", async (c, tx, _) =>
        {
            // The board's head is locked as casting locks it: a ballot of one of these voters is either recorded
            // before (and the import refused) or refused after.
            await StoredBoard.HeadAsync(db, c, tx, forUpdate: true);
            var rows = (await c.QueryAsync<(string Id, string? VotedAt)>("SELECT voter_id, voted_at FROM voters WHERE voter_id " + In(db, "ids"), new { ids }, tx)).ToList();
            var unknown = ids.Except(rows.Select(r => r.Id), StringComparer.Ordinal).Take(5).ToList();
            if (unknown.Count > 0)
            {
                return (object?)Error.Validation("csv", $"not on the roll: {string.Join(", ", unknown)}");
            }
            var online = rows.Where(r => r.VotedAt is not null).Select(r => r.Id).Take(5).ToList();
            if (online.Count > 0)
            {
                return Error.Conflict("voted_online", $"already voted online: {string.Join(", ", online)} — set their paper ballot aside");
            }
            await c.ExecuteAsync("UPDATE voters SET paper = 1 WHERE voter_id " + In(db, "ids"), new { ids }, tx);
            await c.ExecuteAsync("DELETE FROM sessions WHERE voter_id " + In(db, "ids"), new { ids }, tx);
            return new { paper = ids.Length };
        }, ct, "paper voters are recorded before closing");
        return r.IsSuccess ? ids.Length : r.Error!;
    }

    // ---- integrity -----------------------------------------------------------------------------------------------

    /// <summary>
    /// Re-verifies the board (the hash chain and every file hash in full; the signature and proofs of each ballot not
    /// yet found valid by an earlier check of this election or by the cast that recorded it) and checks it against the émargement list and the
    /// receipts: as many ballots on the board as receipts, each voter's count matching. The board and the counts are
    /// read in one snapshot, so ballots being cast meanwhile never look like a difference. Any difference raises an
    /// alert (stored, journaled and logged).
    /// </summary>
    public async Task<Result<IntegrityStatus>> CheckIntegrityAsync(string id, CancellationToken ct = default)
    {
        if (await NoBoardAsync(id, ct) is { } none)
        {
            return none;
        }
        var db = store.Open(id);
        byte[] bytes;
        (long Ballots, long Casts, long VoterBallots, long Voted) counts;
        await using (var sc = await db.OpenAsync(ct))
        {
            await using var snapshot = sc is SqliteConnection sqlite
                ? sqlite.BeginTransaction(IsolationLevel.Serializable, deferred: true)
                : await sc.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            bytes = await StoredBoard.ExportAsync(db, sc, snapshot, ct);
            counts = await sc.QuerySingleAsync<(long Ballots, long Casts, long VoterBallots, long Voted)>(
                "SELECT (SELECT COUNT(*) FROM ballots), (SELECT COUNT(*) FROM casts), (SELECT COALESCE(SUM(ballots), 0) FROM voters), (SELECT COUNT(voted_at) FROM voters)", transaction: snapshot);
            await snapshot.CommitAsync(ct);
        }
        var valid = _validBallots.GetOrAdd(id, _ => new ValidBallots());
        // At the lowest priority: a pass takes the cores' idle time, never the casts' (see Background).
        var report = await Background.RunAsync("socle-monitor", () =>
        {
            lock (valid)
            {
                return BoardVerifier.Verify(new MemoryStream(bytes), new VerifyOptions
                {
                    MaxDegreeOfParallelism = Math.Max(1, options.Value.VerifyThreads / 2),
                    VerifiedBallots = valid.TakeCasts(),
                    Memory = valid.Memory,
                    CancellationToken = ct,
                });
            }
        });
        string? problem = report.Ok ? null : $"the board does not verify: {report.Problem}";
        if (problem is null && report.BallotsOnBoard != counts.Ballots)
        {
            problem = $"{counts.Ballots} ballots recorded but {report.BallotsOnBoard} on the board";
        }
        if (problem is null && (counts.Ballots != counts.Casts || counts.Ballots != counts.VoterBallots))
        {
            problem = $"the board holds {counts.Ballots} ballots, the receipts {counts.Casts}, the émargement list {counts.VoterBallots}";
        }
        var now = time.GetUtcNow();
        if (problem is not null)
        {
            await db.InTransactionAsync(async (tc, tx) =>
            {
                var next = await tc.ExecuteScalarAsync<long>("SELECT COALESCE(MAX(id), 0) + 1 FROM alerts", transaction: tx);
                await tc.ExecuteAsync("INSERT INTO alerts (id, at, message) VALUES (@next, @at, @problem)", new { next, at = Sql.Time(now), problem }, tx);
                await LocalJournal(db).AppendAsync(tc, tx, LocalStream, "integrity_alert", JsonSerializer.Serialize(new { problem }, JsonOptions), ct);
            }, ct);
            Log.IntegrityAlert(log, id, problem);
        }
        return new IntegrityStatus(problem is null, problem, report.BallotsOnBoard, (int)counts.Voted, now);
    }

    public async Task<Result<IReadOnlyList<IntegrityAlert>>> AlertsAsync(string id, CancellationToken ct = default)
    {
        if (await CatalogAsync(id, ct) is null)
        {
            return Error.NotFound($"Election {id}");
        }
        await using var c = await store.Open(id).OpenAsync(ct);
        return (await c.QueryAsync<(string At, string Message)>("SELECT at, message FROM alerts ORDER BY id")).Select(a => new IntegrityAlert(Sql.ParseTime(a.At), a.Message)).ToList();
    }

    /// <summary>The elections whose board the integrity monitor watches (open ones this process serves).</summary>
    public async Task<IReadOnlyList<string>> OpenElectionsAsync(CancellationToken ct = default) =>
        (await ListAsync(ct)).Where(e => e.State == ElectionStates.Open).Select(e => e.Id).ToList();
}

/// <summary>The electoral roll as CSV: a header naming <c>id</c> and optionally <c>email</c>, <c>name</c>, <c>weight</c>.</summary>
internal static partial class VoterCsv
{
    public sealed record Line(string Id, string? Email, string? Name, int Weight);

    [System.Text.RegularExpressions.GeneratedRegex(@"^[^@\s,;<>""]+@[^@\s,;<>""]+\.[^@\s,;<>""]+$")]
    private static partial System.Text.RegularExpressions.Regex Email();

    public static bool LooksLikeEmail(string s) => s.Length <= 254 && Email().IsMatch(s);

    public static string Field(string? s) =>
        s is null ? "" : s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    public static Result<IReadOnlyList<Line>> Parse(string csv, bool idOnly = false)
    {
        var lines = (csv ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var header = lines.Length > 0 ? Split(lines[0]).Select(h => h.Trim().ToLowerInvariant()).ToList() : [];
        var idCol = header.IndexOf("id") is >= 0 and var ic ? ic : header.IndexOf("voter_id");
        if (idCol < 0)
        {
            return Error.Validation("csv", "line 1: a header naming the columns is required, with at least 'id' (and optionally email, name, weight)");
        }
        var unknown = header.Where(h => h is not ("id" or "voter_id" or "email" or "name" or "weight" or "voted_at")).ToList();
        if (unknown.Count > 0)
        {
            return Error.Validation("csv", $"line 1: unknown column(s) {string.Join(", ", unknown)} (known: id, email, name, weight)");
        }
        int emailCol = header.IndexOf("email"), nameCol = header.IndexOf("name"), weightCol = header.IndexOf("weight");
        var result = new List<Line>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var n = 1; n < lines.Length; n++)
        {
            if (string.IsNullOrWhiteSpace(lines[n]))
            {
                continue;
            }
            var f = Split(lines[n]);
            string? Get(int col) => col >= 0 && col < f.Count && f[col].Trim().Length > 0 ? f[col].Trim() : null;
            var where = $"line {n + 1}";
            if (f.Count > header.Count)
            {
                errors[where] = [$"{f.Count} fields for {header.Count} columns"];
                continue;
            }
            var vid = Get(idCol);
            if (vid is null || vid.Length > 200 || vid.Any(char.IsControl))
            {
                errors[where] = ["id is required (at most 200 characters, no control characters)"];
                continue;
            }
            if (!seen.Add(vid))
            {
                errors[where] = [$"id '{vid}' appears twice"];
                continue;
            }
            var email = Get(emailCol);
            if (!idOnly && email is not null && !LooksLikeEmail(email))
            {
                errors[where] = [$"email '{email}' is not an e-mail address"];
                continue;
            }
            var weight = 1;
            if (!idOnly && Get(weightCol) is { } w && (!int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out weight) || weight is < 1 or > 1_000_000))
            {
                errors[where] = [$"weight '{w}' must be a whole number from 1 to 1,000,000"];
                continue;
            }
            result.Add(new Line(vid, email, Get(nameCol), weight));
        }
        if (errors.Count > 0)
        {
            return Error.Validation(errors);
        }
        return result.Count == 0 ? Error.Validation("csv", "no voter in the file") : result;
    }

    private static List<string> Split(string line)
    {
        var fields = new List<string>();
        var sb = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var ch = line[i];
            if (quoted)
            {
                if (ch == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    sb.Append('"');
                    i++;
                }
                else if (ch == '"')
                {
                    quoted = false;
                }
                else
                {
                    sb.Append(ch);
                }
            }
            else if (ch == '"')
            {
                quoted = true;
            }
            else if (ch is ',' or ';')
            {
                fields.Add(sb.ToString());
                sb.Clear();
            }
            else
            {
                sb.Append(ch);
            }
        }
        fields.Add(sb.ToString());
        return fields;
    }
}
