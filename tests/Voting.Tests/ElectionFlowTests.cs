using System.Numerics;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Records.Board;
using Socle.Modules.Voting.Verification;

namespace Socle.Voting.Tests;

/// <summary>Whole elections through the election operations: weights, groups, refusals.</summary>
public class ElectionFlowTests
{
    private static (ElectionBoard Board, IReadOnlyList<VoterCredential> Credentials, SingleTrusteeKey Key, string Dir) Start(
        Group group, ElectionTemplate template, IReadOnlyList<(string, BigInteger?)> voters)
    {
        var dir = Directory.CreateTempSubdirectory("socle-flow-").FullName;
        var uuid = Base58.NewUuid();
        var key = TrusteeKeys.GenerateSingle(group);
        var trustees = TrusteesRecord.Create([new TrusteeKind.Single(key.PublicKey)], group);
        var election = ElectionRecord.Create(template, uuid, group, ElectionKey.Combine(group, trustees));
        var credentials = Credentials.Generate(uuid, group, voters);
        var board = ElectionBoard.Create(Path.Combine(dir, ElectionBoard.FileName(uuid)), election, trustees, Credentials.BoardJson(credentials), DateTimeOffset.UtcNow);
        return (board, credentials, key, dir);
    }

    private static ElectionResult Finish(ElectionBoard board, SingleTrusteeKey key)
    {
        board.Close();
        var tally = board.Tally();
        board.AddPartialDecryption(1, Tallying.Decrypt(board.Election, tally, key.PrivateKey).ToJson());
        return board.PublishResult();
    }

    [Fact]
    public void A_weighted_election_counts_each_ballot_as_many_times_as_its_voters_weight()
    {
        var template = new ElectionTemplate("Assemblée", "vote pondéré par tantièmes", [new Question("Résolution 1", ["Pour", "Contre"], true, 1, 1)]);
        var (board, creds, key, dir) = Start(Groups.Ed25519, template, [("a", 120), ("b", 35), ("c", 1), ("d", 500)]);
        var e = board.Election;
        board.Cast([
            BallotEncryption.Encrypt(e, creds[0].Private, [[0, 1, 0]]).Raw,   // 120 pour
            BallotEncryption.Encrypt(e, creds[1].Private, [[0, 0, 1]]).Raw,   // 35 contre
            BallotEncryption.Encrypt(e, creds[2].Private, [[1, 0, 0]]).Raw,   // 1 blanc
            BallotEncryption.Encrypt(e, creds[3].Private, [[0, 0, 1]]).Raw,   // 500 contre…
            BallotEncryption.Encrypt(e, creds[3].Private, [[0, 1, 0]]).Raw,   // …then pour: the last ballot counts
        ]);
        var result = Finish(board, key);

        Assert.Equal([1, 620, 35], result.Counts[0].Select(c => (int)c));
        var report = BoardVerifier.VerifyPath(dir);
        Assert.True(report.Ok, report.Problem?.ToString());
        Assert.Equal(656, report.TotalWeight);
        Assert.Equal(4, report.BallotsCounted);
        Assert.Equal(1, report.BallotsSuperseded);

        // A tally claiming another total weight is caught.
        var editor = new BoardEditor(board.Path);
        var step = editor.Steps.Single(s => s.Type == EventType.EncryptedTally);
        step.Data[1] = step.Data[1].Replace("\"total_weight\":656", "\"total_weight\":657", StringComparison.Ordinal);
        var tampered = BoardVerifier.Verify(new MemoryStream(editor.Rechain()));
        Assert.Equal("tally_mismatch", tampered.Problem!.Code);
        Assert.Contains("total weight is 657", tampered.Problem.Message);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void An_RFC_3526_election_runs_and_verifies()
    {
        var template = new ElectionTemplate("RFC 3526", "groupe MODP 2048", [new Question("Q", ["A", "B", "C"], null, 0, 2)]);
        var (board, creds, key, dir) = Start(Groups.Rfc3526, template, [("x", null), ("y", null)]);
        board.Cast([
            BallotEncryption.Encrypt(board.Election, creds[0].Private, [[1, 0, 1]]).Raw,
            BallotEncryption.Encrypt(board.Election, creds[1].Private, [[0, 0, 0]]).Raw,
        ]);
        var result = Finish(board, key);
        Assert.Equal([1, 0, 1], result.Counts[0].Select(c => (int)c));
        var report = BoardVerifier.VerifyPath(dir);
        Assert.True(report.Ok, report.Problem?.ToString());
        Assert.Equal("RFC-3526-2048", report.Group);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void The_board_refuses_what_the_state_does_not_allow_and_never_rewrites()
    {
        var template = new ElectionTemplate("S", "states", [new Question("Q", ["A", "B"], null, 1, 1)]);
        var (board, creds, key, dir) = Start(Groups.Ed25519, template, [("x", null), ("y", null)]);
        var ballot = BallotEncryption.Encrypt(board.Election, creds[0].Private, [[1, 0]]).Raw;
        Assert.True(board.Cast([ballot])[0].Accepted);
        Assert.Throws<InvalidOperationException>(() => board.Tally());                 // not closed yet
        var sizeBefore = new FileInfo(board.Path).Length;
        var bad = board.Cast(["{\"not\":\"a ballot\"}"]);
        Assert.False(bad[0].Accepted);
        Assert.Equal(sizeBefore, new FileInfo(board.Path).Length);                      // nothing written for a refused ballot
        board.Close();
        Assert.Contains("closed", board.Cast([BallotEncryption.Encrypt(board.Election, creds[1].Private, [[0, 1]]).Raw])[0].Problem);
        Assert.Throws<InvalidOperationException>(() => board.Close());
        var tally = board.Tally();
        Assert.Throws<InvalidOperationException>(() => board.PublishResult());          // no decryption yet
        var wrongKey = TrusteeKeys.GenerateSingle(Groups.Ed25519);
        Assert.Throws<RecordFormatException>(() => board.AddPartialDecryption(1, Tallying.Decrypt(board.Election, tally, wrongKey.PrivateKey).ToJson()));
        board.AddPartialDecryption(1, Tallying.Decrypt(board.Election, tally, key.PrivateKey).ToJson());
        Assert.Throws<InvalidOperationException>(() => board.AddPartialDecryption(1, Tallying.Decrypt(board.Election, tally, key.PrivateKey).ToJson()));
        Assert.Equal([1, 0], board.PublishResult().Counts[0].Select(c => (int)c));
        // Reopening the file sees the same state and refuses a second result.
        var reopened = ElectionBoard.Open(board.Path);
        Assert.Equal(EventType.Result, reopened.LastEventType);
        Assert.Throws<InvalidOperationException>(() => reopened.PublishResult());
        Directory.Delete(dir, true);
    }
}
