using System.Numerics;
using System.Text;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Records.Board;
using Socle.Modules.Voting.Verification;

namespace Socle.Modules.Voting.Elections;

/// <summary>What happened to a ballot submitted to the board.</summary>
public sealed record CastOutcome(bool Accepted, string? TrackingNumber, string? Problem, int? Height);

/// <summary>
/// An election's public board as a file (<c>&lt;uuid&gt;.bel</c>), operated like Belenios' tool: created with the setup,
/// then ballots appended (each fully checked first), closed, tallied, partial decryptions appended (each checked), and
/// the result. Every step appends events to the hash chain and never rewrites what is there. The election service
/// (Voting II) uses the same checks, with the board kept in the journal.
/// </summary>
public sealed class ElectionBoard
{
    private readonly string _path;
    private readonly long _timestamp;
    private readonly HashSet<string> _tracking = new(StringComparer.Ordinal);
    private readonly List<(Ballot Ballot, string Credential)> _ballots = [];
    private readonly Dictionary<int, PartialDecryption> _partials = [];
    private string _lastEvent;
    private int _height;
    private EventType _lastType;
    private EncryptedTally? _tally;
    private BigInteger _totalWeight;

    private ElectionBoard(string path, long timestamp, ElectionRecord election, TrusteesRecord trustees, PublicCredentials credentials, string lastEvent, int height, EventType lastType)
    {
        _path = path;
        _timestamp = timestamp;
        Election = election;
        Trustees = trustees;
        Credentials = credentials;
        _lastEvent = lastEvent;
        _height = height;
        _lastType = lastType;
    }

    public ElectionRecord Election { get; }

    public TrusteesRecord Trustees { get; }

    public PublicCredentials Credentials { get; }

    public string Path => _path;

    public int BallotCount => _ballots.Count;

    public EventType LastEventType => _lastType;

    public string Head => _lastEvent;

    public EncryptedTally? EncryptedTally => _tally;

    public static string FileName(string uuid) => $"{uuid}.bel";

    /// <summary>
    /// Starts a board: the BELENIOS header, then election, trustees and public credentials with the setup data and
    /// the Setup event. Checks the trustees and that the election key is their product.
    /// </summary>
    public static ElectionBoard Create(string path, ElectionRecord election, TrusteesRecord trustees, string publicCredentialsJson, DateTimeOffset start)
    {
        if (File.Exists(path))
        {
            throw new IOException($"{path} already exists");
        }
        if (ElectionKey.Check(election.Group, trustees) is { } problem)
        {
            throw new RecordFormatException(problem);
        }
        if (!election.Group.AreEqual(ElectionKey.Combine(election.Group, trustees), election.PublicKey))
        {
            throw new RecordFormatException("the election public key is not the product of the trustees' keys");
        }
        var credentials = PublicCredentials.Parse(publicCredentialsJson, election.Group);
        if (credentials.Items.Any(c => c.VoterId is not null))
        {
            throw new RecordFormatException("public credentials on the board must not carry voter ids (strip them first)");
        }
        var timestamp = start.ToUnixTimeSeconds();
        var setup = new SetupData(election.HashHex, Hashing.Sha256Hex(trustees.Raw), Hashing.Sha256Hex(publicCredentialsJson));
        var setupJson = setup.ToJson();
        var setupEvent = new BoardEvent(null, 0, EventType.Setup, Hashing.Sha256Hex(setupJson)).ToJson();
        using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
        {
            WriteFile(stream, "BELENIOS", Archive.HeaderJson(timestamp), timestamp);
            WriteData(stream, election.Raw, timestamp);
            WriteData(stream, trustees.Raw, timestamp);
            WriteData(stream, publicCredentialsJson, timestamp);
            WriteData(stream, setupJson, timestamp);
            WriteEvent(stream, setupEvent, timestamp);
            stream.Flush(flushToDisk: true);
        }
        return new ElectionBoard(path, timestamp, election, trustees, credentials, Hashing.Sha256Hex(setupEvent), 0, EventType.Setup);
    }

    /// <summary>Opens a board, first verifying all of it (the same checks as <c>socle vote verify</c>).</summary>
    public static ElectionBoard Open(string path)
    {
        var report = BoardVerifier.VerifyPath(path);
        if (!report.Ok)
        {
            throw new RecordFormatException($"the board does not verify: {report.Problem}");
        }
        using var stream = File.OpenRead(path);
        var records = Archive.Read(stream, ArchiveLimits.Generous).ToList();
        var data = records.Where(r => r.Kind == RecordKind.Data).GroupBy(r => r.NameHash).ToDictionary(g => g.Key, g => g.First().Text, StringComparer.Ordinal);
        var events = records.Where(r => r.Kind == RecordKind.Event).Select(r => (r.NameHash, Event: BoardEvent.Parse(r.Text))).ToList();
        var setup = SetupData.Parse(data[events[0].Event.Payload!]);
        var election = ElectionRecord.Parse(data[setup.Election]);
        var board = new ElectionBoard(path, Archive.ParseHeader(records[0].Text), election,
            TrusteesRecord.Parse(data[setup.Trustees], election.Group),
            PublicCredentials.Parse(data[setup.Credentials], election.Group),
            events[^1].NameHash, events[^1].Event.Height, events[^1].Event.Type);
        foreach (var (_, e) in events)
        {
            switch (e.Type)
            {
                case EventType.Ballot:
                    var b = Ballot.Parse(data[e.Payload!], election.Group);
                    board._ballots.Add((b, b.Credential.Encoded));
                    board._tracking.Add(b.TrackingNumber);
                    break;
                case EventType.EncryptedTally:
                    var sized = SizedEncryptedTally.Parse(data[e.Payload!]);
                    board._tally = Records.EncryptedTally.Parse(data[sized.EncryptedTallyHash], election.Group);
                    board._totalWeight = sized.TotalWeight;
                    break;
                case EventType.PartialDecryption:
                    var owned = Owned.Parse(data[e.Payload!]);
                    board._partials[owned.Owner] = PartialDecryption.Parse(data[owned.PayloadHash], election.Group);
                    break;
            }
        }
        return board;
    }

    /// <summary>
    /// Checks and appends ballots (Belenios' cast): canonical form, this election, a listed credential, signature and
    /// proofs, not a copy of a ballot already on the board. A later ballot with the same credential replaces the
    /// earlier one at tally time (revote). Checks run on all cores; accepted ballots are appended in order.
    /// </summary>
    public IReadOnlyList<CastOutcome> Cast(IReadOnlyList<string> rawBallots)
    {
        if (_lastType is not (EventType.Setup or EventType.Ballot))
        {
            return rawBallots.Select(_ => new CastOutcome(false, null, "voting is closed (the board has an EndBallots event)", null)).ToList();
        }
        var checks = new (Ballot? Ballot, string? Problem)[rawBallots.Count];
        var local = new ThreadLocal<BallotChecker>(() => new BallotChecker(Election));
        Parallel.For(0, rawBallots.Count, i =>
        {
            try
            {
                var ballot = Ballot.Parse(rawBallots[i], Election.Group, checkMembership: false);
                var problem = Credentials.ByEncoding.ContainsKey(ballot.Credential.Encoded)
                    ? local.Value!.Check(ballot)?.Message
                    : "its credential is not in the list of public credentials of this election";
                checks[i] = (ballot, problem);
            }
            catch (RecordFormatException e)
            {
                checks[i] = (null, e.Message);
            }
        });
        local.Dispose();
        var outcomes = new List<CastOutcome>();
        using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write);
        foreach (var (ballot, problem) in checks)
        {
            if (problem is not null || ballot is null)
            {
                outcomes.Add(new CastOutcome(false, ballot?.TrackingNumber, problem, null));
                continue;
            }
            if (!_tracking.Add(ballot.TrackingNumber))
            {
                outcomes.Add(new CastOutcome(false, ballot.TrackingNumber, "this ballot is already on the board (replayed)", null));
                continue;
            }
            WriteData(stream, ballot.Raw, _timestamp);
            AppendEvent(stream, EventType.Ballot, ballot.HashHex);
            _ballots.Add((ballot, ballot.Credential.Encoded));
            outcomes.Add(new CastOutcome(true, ballot.TrackingNumber, null, _height));
        }
        stream.Flush(flushToDisk: true);
        return outcomes;
    }

    /// <summary>Ends the voting period (EndBallots). After it, no ballot is accepted.</summary>
    public void Close()
    {
        if (_lastType is not (EventType.Setup or EventType.Ballot))
        {
            throw new InvalidOperationException("the election is already closed");
        }
        using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write);
        AppendEvent(stream, EventType.EndBallots, null);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The ballots that count (last per credential) with their weights.</summary>
    public IReadOnlyList<CountedBallot> CountedBallots() =>
        Tallying.LastPerCredential(_ballots, b => b.Credential).Select(b => new CountedBallot(b.Ballot, Credentials.ByEncoding[b.Credential].EffectiveWeight)).ToList();

    /// <summary>Computes and publishes the encrypted tally (after closing only).</summary>
    public EncryptedTally Tally()
    {
        if (_lastType != EventType.EndBallots)
        {
            throw new InvalidOperationException(_lastType is EventType.Setup or EventType.Ballot
                ? "the election must be closed before the tally (partial counts are impossible while voting is open)"
                : "the encrypted tally is already published");
        }
        var counted = CountedBallots();
        var tally = Tallying.EncryptedTally(Election, counted);
        var tallyJson = tally.ToJson();
        _totalWeight = counted.Aggregate(BigInteger.Zero, (a, b) => a + b.Weight);
        var sized = new SizedEncryptedTally(counted.Count, _totalWeight, Hashing.Sha256Hex(tallyJson)).ToJson();
        using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write);
        WriteData(stream, tallyJson, _timestamp);
        WriteData(stream, sized, _timestamp);
        AppendEvent(stream, EventType.EncryptedTally, Hashing.Sha256Hex(sized));
        stream.Flush(flushToDisk: true);
        _tally = tally;
        return tally;
    }

    /// <summary>Checks a trustee's partial decryption against the tally and the trustee's key, then publishes it.</summary>
    public void AddPartialDecryption(int owner, string partialDecryptionJson)
    {
        if (_tally is null || _lastType is not (EventType.EncryptedTally or EventType.PartialDecryption))
        {
            throw new InvalidOperationException("partial decryptions come after the encrypted tally and before the result");
        }
        var keys = Trustees.OwnerKeys;
        if (owner < 1 || owner > keys.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(owner), $"trustee {owner} does not exist (1–{keys.Count})");
        }
        if (_partials.ContainsKey(owner))
        {
            throw new InvalidOperationException($"trustee {owner} has already published a partial decryption");
        }
        var pd = PartialDecryption.Parse(partialDecryptionJson, Election.Group);
        if (Tallying.CheckPartialDecryption(Election, _tally, keys[owner - 1].PublicKey, pd) is { } problem)
        {
            throw new RecordFormatException($"the partial decryption of trustee {owner} is invalid: {problem}");
        }
        var owned = new Owned(owner, Hashing.Sha256Hex(partialDecryptionJson)).ToJson();
        using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write);
        WriteData(stream, partialDecryptionJson, _timestamp);
        WriteData(stream, owned, _timestamp);
        AppendEvent(stream, EventType.PartialDecryption, Hashing.Sha256Hex(owned));
        stream.Flush(flushToDisk: true);
        _partials[owner] = pd;
    }

    /// <summary>Combines the partial decryptions, computes and publishes the result.</summary>
    public ElectionResult PublishResult()
    {
        if (_tally is null || _lastType != EventType.PartialDecryption)
        {
            throw new InvalidOperationException(_lastType == EventType.Result ? "the result is already published" : "the result needs the encrypted tally and partial decryptions");
        }
        var factors = Tallying.CombineFactors(Election, Trustees, _partials, _tally);
        if (!factors.IsSuccess)
        {
            throw new InvalidOperationException(factors.Problem);
        }
        var result = Tallying.ComputeResult(Election, _tally, factors.Value!, _totalWeight);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException(result.Problem);
        }
        var json = result.Value!.ToJson();
        using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write);
        WriteData(stream, json, _timestamp);
        AppendEvent(stream, EventType.Result, Hashing.Sha256Hex(json));
        stream.Flush(flushToDisk: true);
        return result.Value!;
    }

    private void AppendEvent(Stream stream, EventType type, string? payload)
    {
        var e = new BoardEvent(_lastEvent, _height + 1, type, payload).ToJson();
        WriteEvent(stream, e, _timestamp);
        _lastEvent = Hashing.Sha256Hex(e);
        _height++;
        _lastType = type;
    }

    private static void WriteData(Stream stream, string content, long timestamp) =>
        WriteFile(stream, $"{Hashing.Sha256Hex(content)}.data.json", content, timestamp);

    private static void WriteEvent(Stream stream, string content, long timestamp) =>
        WriteFile(stream, $"{Hashing.Sha256Hex(content)}.event.json", content, timestamp);

    private static void WriteFile(Stream stream, string name, string content, long timestamp) =>
        Archive.WriteRecord(stream, name, Encoding.UTF8.GetBytes(content), timestamp);
}
