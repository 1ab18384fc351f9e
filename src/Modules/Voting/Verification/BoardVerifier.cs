using System.Diagnostics;
using System.Numerics;
using System.Text;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Crypto.Ed25519.Simd;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Records.Board;

namespace Socle.Modules.Voting.Verification;

/// <summary>How to verify: limits for untrusted archives, parallelism, progress.</summary>
public sealed record VerifyOptions
{
    public ArchiveLimits Limits { get; init; } = ArchiveLimits.Generous;

    /// <summary>Worker threads for ballot checks; all cores by default.</summary>
    public int MaxDegreeOfParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Told the number of ballots once the archive is read, then how many are checked.</summary>
    public Action<long>? OnBallotCount { get; init; }

    public IProgress<long>? Progress { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>
    /// The memory of earlier verifications of the same election (continuous monitoring): hashes of ballots whose
    /// signature and proofs were already found valid. Their proofs are not checked again — a ballot is named by the
    /// SHA-256 of its content, which is checked every time, so the same name means the same bytes. Everything else
    /// (file hashes, the hash chain, credentials, duplicates, revotes, tally) is checked in full. When every ballot
    /// of the board is valid, their hashes are added. Null: check every ballot.
    /// </summary>
    public ISet<string>? VerifiedBallots { get; init; }

    /// <summary>
    /// The rest of that memory: the public credentials as read and checked by an earlier verification. Null: read them.
    /// </summary>
    public VerifyMemory? Memory { get; init; }
}

/// <summary>
/// What continuous monitoring keeps from one pass over an election's growing board to the next: the public credentials
/// read and checked (decoding and subgroup membership of every credential, the costliest part of a pass once the
/// ballots' proofs are known), under the SHA-256 of their file, with their index by encoding. Every pass checks each
/// file's bytes against its hash, so the same hash means the same list. One pass at a time.
/// </summary>
public sealed class VerifyMemory
{
    internal string? CredentialsHash { get; set; }

    internal PublicCredentials? Credentials { get; set; }
}

/// <summary>
/// Verifies a Belenios public board (the audit "after the tally" of the specification, and everything a board lets one
/// check before it): archive layout and file hashes, the event hash chain, the setup (election, trustees with their
/// proofs, election key, credentials), every ballot (canonical form, election, listed credential, signature, all
/// proofs), revotes (the last ballot per credential counts), the encrypted tally as the weighted product of the
/// counted ballots, every partial decryption, and the result. Stops at the first problem and names its event and reason.
/// </summary>
public static class BoardVerifier
{
    private sealed class Failure(VerificationProblem problem) : Exception(problem.Message)
    {
        public VerificationProblem Problem { get; } = problem;
    }

    private static Failure Fail(string code, string message, int? height = null, EventType? type = null, int? file = null, string? tracking = null) =>
        new(new VerificationProblem(code, message, height, type?.ToString(), file, tracking));

    private sealed record EventEntry(BoardRecord Record, BoardEvent Event);

    /// <summary>Verifies a board file (<c>.bel</c>) or a folder holding exactly one.</summary>
    public static VerificationReport VerifyPath(string path, VerifyOptions? options = null)
    {
        var file = path;
        if (Directory.Exists(path))
        {
            var bels = Directory.GetFiles(path, "*.bel");
            if (bels.Length != 1)
            {
                return new VerificationReport
                {
                    Problem = new VerificationProblem("no_board", bels.Length == 0
                        ? $"no .bel board file in {path}"
                        : $"{bels.Length} .bel files in {path}; name the one to verify"),
                };
            }
            file = bels[0];
        }
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Verify(stream, options);
    }

    public static VerificationReport Verify(Stream board, VerifyOptions? options = null)
    {
        options ??= new VerifyOptions();
        var state = new State();
        var clock = Stopwatch.StartNew();
        VerificationProblem? problem = null;
        try
        {
            Run(board, options, state);
        }
        catch (Failure f)
        {
            problem = f.Problem;
            state.Checks.Add(new VerificationCheck(state.CurrentCheck, "failed", f.Problem.Message) { Seconds = state.CheckSeconds });
        }
        var seconds = clock.Elapsed.TotalSeconds;
        return new VerificationReport
        {
            Problem = problem,
            Uuid = state.Election?.Uuid,
            Name = state.Election?.Name,
            Group = state.Election?.Group.Name,
            Fingerprint = state.Election?.Fingerprint,
            State = state.Phase,
            Head = state.Head,
            Events = state.Events,
            BallotsOnBoard = state.BallotsOnBoard,
            BallotsCounted = state.BallotsCounted,
            BallotsSuperseded = state.BallotsOnBoard - state.BallotsCounted,
            Credentials = state.Credentials,
            TotalWeight = state.TotalWeight,
            Trustees = state.Trustees,
            PartialDecryptions = state.PartialDecryptions,
            Result = state.Result,
            Checks = state.Checks,
            Seconds = Math.Round(seconds, 3),
            BallotsPerSecond = state.BallotsOnBoard > 0 && state.BallotSeconds > 0 ? Math.Round(state.BallotsOnBoard / state.BallotSeconds, 1) : 0,
        };
    }

    private sealed class State
    {
        public List<VerificationCheck> Checks { get; } = [];

        private string _current = "archive";
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _started;

        /// <summary>The check under way; setting it starts its clock.</summary>
        public string CurrentCheck
        {
            get => _current;
            set
            {
                _current = value;
                _started = _clock.Elapsed;
            }
        }

        public double CheckSeconds => Math.Round((_clock.Elapsed - _started).TotalSeconds, 3);

        public ElectionRecord? Election { get; set; }

        public string? Phase { get; set; }

        public string? Head { get; set; }

        public int Events { get; set; }

        public int BallotsOnBoard { get; set; }

        public int BallotsCounted { get; set; }

        public int Credentials { get; set; }

        public long? TotalWeight { get; set; }

        public int Trustees { get; set; }

        public int PartialDecryptions { get; set; }

        public IReadOnlyList<QuestionResult>? Result { get; set; }

        public double BallotSeconds { get; set; }

        public void Pass(string detail, string detailFr) => Checks.Add(new VerificationCheck(CurrentCheck, "passed", detail, detailFr) { Seconds = CheckSeconds });

        public void Skip(string detail, string detailFr) => Checks.Add(new VerificationCheck(CurrentCheck, "skipped", detail, detailFr) { Seconds = CheckSeconds });
    }

    private static void Run(Stream board, VerifyOptions options, State state)
    {
        var ct = options.CancellationToken;

        // 1. Archive structure
        state.CurrentCheck = "archive";
        List<BoardRecord> records;
        try
        {
            records = Archive.Read(board, options.Limits).ToList();
        }
        catch (Archive.ArchiveException e)
        {
            throw Fail("archive_malformed", e.Message, file: e.Index);
        }
        if (records.Count == 0)
        {
            throw Fail("archive_malformed", "the archive is empty");
        }
        try
        {
            Archive.ParseHeader(records[0].Text);
        }
        catch (Exception e) when (e is RecordFormatException or DecoderFallbackException)
        {
            throw Fail("archive_malformed", e.Message, file: 0);
        }
        state.Pass($"{records.Count} files", $"{records.Count} fichiers");

        // 2. Every file is named by the SHA-256 of its content
        state.CurrentCheck = "hashes";
        // Hash and decode every file on all cores; report the first problem in archive order.
        var fileProblems = new VerificationProblem?[records.Count];
        Parallel.For(1, records.Count, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = ct }, i =>
        {
            var r = records[i];
            if (Hashing.Sha256Hex(r.Content) != r.NameHash)
            {
                fileProblems[i] = new VerificationProblem("hash_mismatch", $"{r.FileName}: its content does not hash to its name (the file was altered)", FileIndex: r.Index);
                return;
            }
            try
            {
                _ = r.Text;
            }
            catch (DecoderFallbackException)
            {
                fileProblems[i] = new VerificationProblem("archive_malformed", $"{r.FileName} is not UTF-8 text", FileIndex: r.Index);
            }
        });
        if (fileProblems.FirstOrDefault(p => p is not null) is { } fileProblem)
        {
            throw new Failure(fileProblem);
        }
        state.Pass("every file matches its SHA-256 name", "chaque fichier correspond à son nom (empreinte SHA-256)");

        // 3. The event chain
        state.CurrentCheck = "chain";
        var data = new Dictionary<string, BoardRecord>(StringComparer.Ordinal);
        var events = new List<EventEntry>();
        var eventPosition = records.Where(r => r.Kind == RecordKind.Event).Select((r, i) => (r.NameHash, i))
            .GroupBy(x => x.NameHash).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        foreach (var r in records.Skip(1))
        {
            if (r.Kind == RecordKind.Data)
            {
                data.TryAdd(r.NameHash, r);
                continue;
            }
            BoardEvent e;
            try
            {
                e = BoardEvent.Parse(r.Text);
            }
            catch (RecordFormatException ex)
            {
                throw Fail("event_malformed", ex.Message, height: events.Count, file: r.Index);
            }
            var k = events.Count;
            if (eventPosition[r.NameHash] < k)
            {
                throw Fail("event_duplicated", $"this event is a copy of the event at height {eventPosition[r.NameHash]}", e.Height, e.Type, r.Index);
            }
            var expectedParent = k == 0 ? null : events[k - 1].Record.NameHash;
            if (e.Parent != expectedParent)
            {
                if (e.Parent is null || k == 0)
                {
                    throw Fail("chain_broken", k == 0 ? "the first event has a parent" : "the event has no parent but is not the first", k, e.Type, r.Index);
                }
                if (!eventPosition.TryGetValue(e.Parent, out var parentPosition))
                {
                    throw Fail("event_missing", $"its parent event {e.Parent[..12]}… is not on the board: an event was removed", k, e.Type, r.Index);
                }
                throw Fail("event_reordered", parentPosition > k
                    ? $"its parent event comes later in the board: events were reordered"
                    : $"its parent is the event at position {parentPosition}, not the one just before it: events were reordered or inserted", k, e.Type, r.Index);
            }
            if (e.Height != k)
            {
                throw Fail("chain_broken", $"its height is {e.Height}, {k} expected", k, e.Type, r.Index);
            }
            if (e.Payload is not null && !data.ContainsKey(e.Payload))
            {
                throw Fail("payload_missing", $"its payload {e.Payload[..12]}… is not on the board before it", k, e.Type, r.Index);
            }
            events.Add(new EventEntry(r, e));
        }
        if (events.Count == 0)
        {
            throw Fail("chain_broken", "the board has no events");
        }
        state.Events = events.Count;
        state.Head = events[^1].Record.NameHash;
        state.Pass($"{events.Count} events, heights 0–{events.Count - 1}, each linked to its parent", $"{events.Count} événements, hauteurs 0 à {events.Count - 1}, chacun lié au précédent");

        // 4. The layout Belenios writes (payloads just before their events), and the order of event types
        state.CurrentCheck = "layout";
        CheckLayout(records, events, data);
        var phase = CheckEventOrder(events);
        state.Phase = phase;
        state.Pass($"Belenios archive layout; election state: {phase}", "organisation des fichiers conforme à Belenios");

        // 5. Setup: election, trustees, credentials
        state.CurrentCheck = "setup";
        var setupEvent = events[0];
        ElectionRecord election;
        TrusteesRecord trustees;
        PublicCredentials credentials;
        try
        {
            var setup = SetupData.Parse(Payload(setupEvent, data));
            election = ElectionRecord.Parse(Data(data, setup.Election, "election", setupEvent));
            state.Election = election;
            trustees = TrusteesRecord.Parse(Data(data, setup.Trustees, "trustees", setupEvent), election.Group);
            if (options.Memory is { } memory && memory.CredentialsHash == setup.Credentials && memory.Credentials is { } known)
            {
                credentials = known;
            }
            else
            {
                credentials = ParseCredentials(Data(data, setup.Credentials, "public credentials", setupEvent), election.Group, options);
                if (options.Memory is { } remember)
                {
                    remember.Credentials = credentials;
                    remember.CredentialsHash = setup.Credentials;
                }
            }
        }
        catch (RecordFormatException e)
        {
            throw Fail("setup_invalid", e.Message, 0, EventType.Setup, setupEvent.Record.Index);
        }
        state.Credentials = credentials.Items.Count;
        state.Trustees = trustees.OwnerCount;
        state.Pass($"election {election.Uuid} ({election.Group.Name}), {election.Questions.Count} question(s), {credentials.Items.Count} credentials", $"élection {election.Uuid} ({election.Group.Name}), {election.Questions.Count} question(s), {credentials.Items.Count} accréditations");

        state.CurrentCheck = "trustees";
        if (ElectionKey.Check(election.Group, trustees) is { } trusteeProblem)
        {
            throw Fail("trustees_invalid", trusteeProblem, 0, EventType.Setup, setupEvent.Record.Index);
        }
        if (!election.Group.AreEqual(ElectionKey.Combine(election.Group, trustees), election.PublicKey))
        {
            throw Fail("election_key_mismatch", "the election public key is not the product of the trustees' keys", 0, EventType.Setup, setupEvent.Record.Index);
        }
        state.Pass($"{trustees.OwnerCount} trustee key(s) with valid proofs; the election key is their product", $"{trustees.OwnerCount} clé(s) d'assesseur aux preuves valides ; la clé de l'élection est leur produit");

        // 6. Ballots
        state.CurrentCheck = "ballots";
        var ballotEvents = events.Where(e => e.Event.Type == EventType.Ballot).ToList();
        state.BallotsOnBoard = ballotEvents.Count;
        options.OnBallotCount?.Invoke(ballotEvents.Count);
        var clock = Stopwatch.StartNew();
        var ballots = CheckBallots(election, credentials, ballotEvents, data, options);
        state.BallotSeconds = clock.Elapsed.TotalSeconds;
        var counted = Tallying.LastPerCredential(ballots, b => b.Credential.Encoded)
            .Select(b => new CountedBallot(b, credentials.ByEncoding[b.Credential.Encoded].EffectiveWeight)).ToList();
        state.BallotsCounted = counted.Count;
        var totalWeight = counted.Aggregate(BigInteger.Zero, (a, b) => a + b.Weight);
        state.TotalWeight = (long)totalWeight;
        state.Pass(ballots.Count == 0
            ? "no ballots"
            : $"{ballots.Count} ballot(s) with valid signatures and proofs from listed credentials; {counted.Count} counted (last ballot per credential)",
            ballots.Count == 0
            ? "aucun bulletin"
            : $"{ballots.Count} bulletin(s) aux signatures et preuves valides, d'électeurs inscrits ; {counted.Count} compté(s) (le dernier bulletin de chaque électeur)");
        ct.ThrowIfCancellationRequested();

        // 7. Encrypted tally
        state.CurrentCheck = "tally";
        var tallyEvent = events.FirstOrDefault(e => e.Event.Type == EventType.EncryptedTally);
        EncryptedTally? tally = null;
        if (tallyEvent is null)
        {
            state.Skip("no encrypted tally yet", "pas encore d'urne agrégée");
        }
        else
        {
            var h = tallyEvent.Event.Height;
            SizedEncryptedTally sized;
            EncryptedTally published;
            try
            {
                sized = SizedEncryptedTally.Parse(Payload(tallyEvent, data));
                published = EncryptedTally.Parse(Data(data, sized.EncryptedTallyHash, "encrypted tally", tallyEvent), election.Group);
            }
            catch (RecordFormatException e)
            {
                throw Fail("tally_malformed", e.Message, h, EventType.EncryptedTally, tallyEvent.Record.Index);
            }
            if (sized.NumTallied != counted.Count)
            {
                throw Fail("tally_mismatch", $"the tally says {sized.NumTallied} ballots were counted; the board has {counted.Count} ballots to count", h, EventType.EncryptedTally, tallyEvent.Record.Index);
            }
            if (sized.TotalWeight != totalWeight)
            {
                throw Fail("tally_mismatch", $"the tally says the total weight is {sized.TotalWeight}; the counted ballots weigh {totalWeight}", h, EventType.EncryptedTally, tallyEvent.Record.Index);
            }
            tally = Tallying.EncryptedTally(election, counted);
            if (!Tallying.SameTally(election.Group, tally, published))
            {
                throw Fail("tally_mismatch", "the encrypted tally is not the product of the counted ballots", h, EventType.EncryptedTally, tallyEvent.Record.Index);
            }
            state.Pass($"the encrypted tally is the weighted product of the {counted.Count} counted ballot(s)", $"l'urne agrégée est le produit pondéré des {counted.Count} bulletin(s) comptés");
        }

        // 8. Partial decryptions
        state.CurrentCheck = "partial_decryptions";
        var pdEvents = events.Where(e => e.Event.Type == EventType.PartialDecryption).ToList();
        var partials = new Dictionary<int, PartialDecryption>();
        if (pdEvents.Count == 0)
        {
            state.Skip("no partial decryptions yet", "pas encore de déchiffrement partiel");
        }
        else
        {
            var keys = trustees.OwnerKeys;
            foreach (var pe in pdEvents)
            {
                var h = pe.Event.Height;
                Owned owned;
                PartialDecryption pd;
                try
                {
                    owned = Owned.Parse(Payload(pe, data));
                    pd = PartialDecryption.Parse(Data(data, owned.PayloadHash, "partial decryption", pe), election.Group);
                }
                catch (RecordFormatException e)
                {
                    throw Fail("partial_decryption_malformed", e.Message, h, EventType.PartialDecryption, pe.Record.Index);
                }
                if (owned.Owner < 1 || owned.Owner > keys.Count)
                {
                    throw Fail("partial_decryption_invalid", $"trustee {owned.Owner} does not exist (the election has {keys.Count})", h, EventType.PartialDecryption, pe.Record.Index);
                }
                if (partials.ContainsKey(owned.Owner))
                {
                    throw Fail("partial_decryption_invalid", $"trustee {owned.Owner} has already published a partial decryption", h, EventType.PartialDecryption, pe.Record.Index);
                }
                if (Tallying.CheckPartialDecryption(election, tally!, keys[owned.Owner - 1].PublicKey, pd) is { } reason)
                {
                    throw Fail("partial_decryption_invalid", $"trustee {owned.Owner}: {reason}", h, EventType.PartialDecryption, pe.Record.Index);
                }
                partials[owned.Owner] = pd;
            }
            state.PartialDecryptions = partials.Count;
            state.Pass($"{partials.Count} partial decryption(s) with valid proofs (trustees {string.Join(", ", partials.Keys.Order())})", $"{partials.Count} déchiffrement(s) partiel(s) aux preuves valides (assesseurs {string.Join(", ", partials.Keys.Order())})");
        }

        // 9. Result
        state.CurrentCheck = "result";
        var resultEvent = events.FirstOrDefault(e => e.Event.Type == EventType.Result);
        if (resultEvent is null)
        {
            state.Skip("no result yet", "pas encore de résultat");
            return;
        }
        var rh = resultEvent.Event.Height;
        ElectionResult publishedResult;
        try
        {
            publishedResult = ElectionResult.Parse(Payload(resultEvent, data));
        }
        catch (RecordFormatException e)
        {
            throw Fail("result_malformed", e.Message, rh, EventType.Result, resultEvent.Record.Index);
        }
        var factors = Tallying.CombineFactors(election, trustees, partials, tally!);
        if (!factors.IsSuccess)
        {
            throw Fail("result_unsupported_by_decryptions", factors.Problem!, rh, EventType.Result, resultEvent.Record.Index);
        }
        var computed = Tallying.ComputeResult(election, tally!, factors.Value!, totalWeight);
        if (!computed.IsSuccess)
        {
            throw Fail("result_mismatch", computed.Problem!, rh, EventType.Result, resultEvent.Record.Index);
        }
        if (DescribeDifference(election, publishedResult, computed.Value!) is { } difference)
        {
            throw Fail("result_mismatch", difference, rh, EventType.Result, resultEvent.Record.Index);
        }
        state.Result = Describe(election, computed.Value!);
        state.Pass("the published result is the decryption of the tally", "le résultat publié est bien le déchiffrement de l'urne agrégée");
    }

    private static PublicCredentials ParseCredentials(string raw, Group group, VerifyOptions options)
    {
        // Membership checks cost a scalar multiplication each: spread them over the cores.
        using var doc = Json.ParseDocument(raw, "public_credentials");
        var texts = doc.RootElement.Array("public_credentials", (x, p) => x.String(p), 50_000_000);
        var items = new PublicCredential[texts.Length];
        // Decode on all cores, then check subgroup membership in bulk (eight at a time with AVX-512).
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = options.CancellationToken },
            i => items[i] = PublicCredential.Parse(texts[i], group, $"public_credentials[{i}]", checkMembership: false));
        var members = new bool[items.Length];
        var slice = Math.Max(64, (items.Length / Math.Max(1, options.MaxDegreeOfParallelism)) + 1);
        Parallel.For(0, (items.Length + slice - 1) / slice, new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism, CancellationToken = options.CancellationToken }, s =>
        {
            var from = s * slice;
            var part = items.Skip(from).Take(slice).Select(c => c.Credential).ToList();
            group.AreMembers(part).CopyTo(members, from);
        });
        var outside = Array.IndexOf(members, false);
        if (outside >= 0)
        {
            throw new RecordFormatException($"public_credentials[{outside}]: credential not in the prime-order subgroup");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in items)
        {
            if (!seen.Add(c.Credential.Encoded))
            {
                throw new RecordFormatException($"public_credentials: duplicate credential {c.Credential.Encoded}");
            }
        }
        return new PublicCredentials(raw, items);
    }

    private static string Payload(EventEntry e, Dictionary<string, BoardRecord> data) =>
        e.Event.Payload is { } p ? data[p].Text : throw new RecordFormatException($"the {e.Event.Type} event has no payload");

    private static string Data(Dictionary<string, BoardRecord> data, string hash, string what, EventEntry e) =>
        data.TryGetValue(hash, out var r) && r.Index < e.Record.Index
            ? r.Text
            : throw new RecordFormatException($"the {what} ({hash[..12]}…) is not on the board before the {e.Event.Type} event");

    /// <summary>
    /// The files must be exactly those Belenios writes when it regenerates the archive from the last event: for each
    /// event, the data it refers to, then the event. Anything extra, missing or misplaced is reported.
    /// </summary>
    private static void CheckLayout(List<BoardRecord> records, List<EventEntry> events, Dictionary<string, BoardRecord> data)
    {
        var expected = new List<(RecordKind Kind, string Hash)>();
        foreach (var entry in events)
        {
            var e = entry.Event;
            try
            {
                switch (e.Type)
                {
                    case EventType.Setup:
                        var setup = SetupData.Parse(data[e.Payload!].Text);
                        expected.Add((RecordKind.Data, setup.Election));
                        expected.Add((RecordKind.Data, setup.Trustees));
                        expected.Add((RecordKind.Data, setup.Credentials));
                        expected.Add((RecordKind.Data, e.Payload!));
                        break;
                    case EventType.Ballot or EventType.Result:
                        expected.Add((RecordKind.Data, e.Payload ?? throw new RecordFormatException("missing payload")));
                        break;
                    case EventType.EndBallots or EventType.EndShuffles:
                        if (e.Payload is not null)
                        {
                            throw new RecordFormatException("this event must not have a payload");
                        }
                        break;
                    case EventType.EncryptedTally:
                        var sized = SizedEncryptedTally.Parse(data[e.Payload!].Text);
                        expected.Add((RecordKind.Data, sized.EncryptedTallyHash));
                        expected.Add((RecordKind.Data, e.Payload!));
                        break;
                    case EventType.PartialDecryption or EventType.Shuffle:
                        var owned = Owned.Parse(data[e.Payload!].Text);
                        expected.Add((RecordKind.Data, owned.PayloadHash));
                        expected.Add((RecordKind.Data, e.Payload!));
                        break;
                }
            }
            catch (Exception ex) when (ex is RecordFormatException or NullReferenceException or KeyNotFoundException)
            {
                throw Fail("event_malformed", ex is RecordFormatException ? ex.Message : "its payload is missing", e.Height, e.Type, entry.Record.Index);
            }
            expected.Add((RecordKind.Event, entry.Record.NameHash));
        }
        var actual = records.Skip(1).ToList();
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            if (i >= actual.Count)
            {
                throw Fail("layout_mismatch", $"the board ends before {expected[i].Hash[..12]}…, which its events refer to");
            }
            if (i >= expected.Count)
            {
                throw Fail("layout_mismatch", $"{actual[i].FileName} follows the last event: files after the last event are not allowed", file: actual[i].Index);
            }
            if (actual[i].Kind != expected[i].Kind || actual[i].NameHash != expected[i].Hash)
            {
                throw Fail("layout_mismatch", $"{actual[i].FileName} is not where Belenios puts it (expected {expected[i].Hash[..12]}…): a file was added, removed or moved", file: actual[i].Index);
            }
        }
    }

    /// <summary>Setup, Ballot*, [EndBallots, [EncryptedTally, [Shuffle*, EndShuffles], PartialDecryption*, [Result]]].</summary>
    private static string CheckEventOrder(List<EventEntry> events)
    {
        var phase = 0; // 0 setup, 1 open, 2 closed, 3 tallied, 4 shuffled, 5 decrypting, 6 result
        foreach (var entry in events)
        {
            var e = entry.Event;
            var next = e.Type switch
            {
                EventType.Setup => phase == 0 && e.Height == 0 ? 1 : -1,
                EventType.Ballot => phase == 1 ? 1 : -1,
                EventType.EndBallots => phase == 1 ? 2 : -1,
                EventType.EncryptedTally => phase == 2 ? 3 : -1,
                EventType.Shuffle or EventType.EndShuffles => throw Fail("unsupported", "shuffles (non-homomorphic questions) are not supported by this verifier", e.Height, e.Type, entry.Record.Index),
                EventType.PartialDecryption => phase is 3 or 5 ? 5 : -1,
                EventType.Result => phase is 5 ? 6 : -1,
                _ => -1,
            };
            if (next < 0)
            {
                var why = e.Type switch
                {
                    EventType.Setup => "a Setup event is allowed only at height 0",
                    EventType.Ballot => phase == 0 ? "a ballot before the setup" : "a ballot after the end of voting (EndBallots)",
                    EventType.Result => "a result without partial decryptions",
                    _ => phase == 0 ? "the board must start with a Setup event" : $"a {e.Type} event is not allowed here",
                };
                throw Fail("event_out_of_order", why, e.Height, e.Type, entry.Record.Index);
            }
            phase = next;
        }
        return phase switch
        {
            1 => "Open",
            2 => "Closed",
            3 => "Tallied",
            5 => "Decrypting",
            6 => "Published",
            _ => "Setup",
        };
    }

    private static List<Ballot> CheckBallots(ElectionRecord election, PublicCredentials credentials, List<EventEntry> ballotEvents,
        Dictionary<string, BoardRecord> data, VerifyOptions options)
    {
        var n = ballotEvents.Count;
        var ballots = new Ballot?[n];
        var problems = new BallotProblem?[n];
        var listed = credentials.ByEncoding;
        var done = 0L;
        var firstFailure = int.MaxValue;
        var workers = Math.Max(1, Math.Min(options.MaxDegreeOfParallelism, (n / 8) + 1));
        var chunk = 16;
        var next = -chunk;
        var threads = new Thread[workers];
        Exception? crash = null;
        for (var w = 0; w < workers; w++)
        {
            threads[w] = new Thread(() =>
            {
                try
                {
                    var checker = new BallotChecker(election);
                    var lanes = election.Group.CreateLaneEvaluator(election.PublicKey);
                    var prepared = new List<(int Index, BallotChecker.Prepared Ballot)>(chunk);
                    while (true)
                    {
                        var start = Interlocked.Add(ref next, chunk);
                        if (start >= n || start > Volatile.Read(ref firstFailure) || options.CancellationToken.IsCancellationRequested)
                        {
                            return;
                        }
                        prepared.Clear();
                        for (var i = start; i < Math.Min(n, start + chunk); i++)
                        {
                            try
                            {
                                // A ballot already found valid (same SHA-256, so the same text) is not read again in full.
                                var known = options.VerifiedBallots?.Contains(ballotEvents[i].Event.Payload!) == true;
                                var stored = data[ballotEvents[i].Event.Payload!];
                                var ballot = known
                                    ? Ballot.ParseVerified(stored.Content, election.Group, credentials)
                                    : Ballot.Parse(stored.Text, election.Group, checkMembership: false);
                                ballots[i] = ballot;
                                if (!listed.ContainsKey(ballot.Credential.Encoded))
                                {
                                    problems[i] = new BallotProblem("ballot_unknown_credential", "its credential is not in the list of public credentials");
                                }
                                else if (known)
                                {
                                    // Already found valid by an earlier verification of this election.
                                }
                                else if (lanes is null)
                                {
                                    problems[i] = checker.Check(ballot);
                                }
                                else if (checker.Prepare(ballot, out var problem) is { } p)
                                {
                                    prepared.Add((i, p));
                                }
                                else
                                {
                                    problems[i] = problem;
                                }
                            }
                            catch (RecordFormatException e)
                            {
                                problems[i] = new BallotProblem(BallotChecker.Malformed, e.Message);
                            }
                        }
                        // Eight ballots of the same shape at a time through the SIMD engine.
                        while (prepared.Count > 0)
                        {
                            var shape = prepared[0].Ballot.Batch;
                            var group = prepared.Where(x => x.Ballot.Batch.SameShape(shape)).Take(LaneEvaluator.Lanes).ToList();
                            var failed = new int[group.Count];
                            lanes!.Evaluate(group.Select(x => x.Ballot.Batch).ToList(), group.Select(x => x.Ballot.Encodings).ToList(), failed);
                            for (var k = 0; k < group.Count; k++)
                            {
                                group[k].Ballot.FailedBase = failed[k];
                                problems[group[k].Index] = checker.Conclude(group[k].Ballot);
                            }
                            prepared.RemoveAll(x => group.Contains(x));
                        }
                        for (var i = start; i < Math.Min(n, start + chunk); i++)
                        {
                            if (problems[i] is not null)
                            {
                                int seen;
                                while (i < (seen = Volatile.Read(ref firstFailure)) && Interlocked.CompareExchange(ref firstFailure, i, seen) != seen)
                                {
                                }
                            }
                            var d = Interlocked.Increment(ref done);
                            if ((d & 31) == 0 || d == n)
                            {
                                options.Progress?.Report(d);
                            }
                        }
                    }
                }
                catch (Exception e)
                {
                    crash ??= e;
                }
            })
            { IsBackground = true, Name = $"socle-verify-{w}" };
            threads[w].Start();
        }
        foreach (var t in threads)
        {
            t.Join();
        }
        if (crash is not null)
        {
            throw new InvalidOperationException("ballot verification crashed", crash);
        }
        options.CancellationToken.ThrowIfCancellationRequested();
        // Report the first problem in board order; duplicates are checked in order too.
        var tracking = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var e = ballotEvents[i];
            var raw = data[e.Event.Payload!];
            var number = Hashing.Sha256Base64(raw.Content);
            if (tracking.TryGetValue(number, out var earlier))
            {
                throw Fail("ballot_duplicate", $"the same ballot was already cast at height {ballotEvents[earlier].Event.Height}", e.Event.Height, EventType.Ballot, e.Record.Index, number);
            }
            tracking[number] = i;
            if (problems[i] is { } problem)
            {
                throw Fail(problem.Code, problem.Message, e.Event.Height, EventType.Ballot, e.Record.Index, number);
            }
        }
        if (options.VerifiedBallots is { } verified)
        {
            foreach (var e in ballotEvents)
            {
                verified.Add(e.Event.Payload!);
            }
        }
        return ballots.Select(b => b!).ToList();
    }

    private static string? DescribeDifference(ElectionRecord election, ElectionResult published, ElectionResult computed)
    {
        if (published.Counts.Count != computed.Counts.Count)
        {
            return $"the published result has {published.Counts.Count} question(s), the election {computed.Counts.Count}";
        }
        for (var i = 0; i < computed.Counts.Count; i++)
        {
            var q = election.Questions[i];
            if (published.Counts[i].Count != computed.Counts[i].Count)
            {
                return $"question {i + 1}: the published result has {published.Counts[i].Count} counts, {computed.Counts[i].Count} expected";
            }
            for (var j = 0; j < computed.Counts[i].Count; j++)
            {
                if (published.Counts[i][j] != computed.Counts[i][j])
                {
                    var label = q.AllowsBlank ? (j == 0 ? "blank" : q.Answers[j - 1]) : q.Answers[j];
                    return $"question {i + 1}, {label}: the published result says {published.Counts[i][j]}, the decryption of the tally gives {computed.Counts[i][j]}";
                }
            }
        }
        return null;
    }

    internal static IReadOnlyList<QuestionResult> Describe(ElectionRecord election, ElectionResult result) =>
        election.Questions.Select((q, i) =>
        {
            var counts = new List<AnswerCount>();
            var offset = q.AllowsBlank ? 1 : 0;
            for (var j = 0; j < q.Answers.Count; j++)
            {
                counts.Add(new AnswerCount(q.Answers[j], (long)result.Counts[i][j + offset]));
            }
            if (q.AllowsBlank)
            {
                counts.Add(new AnswerCount("blank", (long)result.Counts[i][0], IsBlank: true));
            }
            return new QuestionResult(q.Text, counts);
        }).ToList();
}
