using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Records.Board;
using Socle.Modules.Voting.Verification;

namespace Socle.Voting.Tests;

/// <summary>Socle verifies the elections Belenios 2.5.1 made, and recomputes their published results.</summary>
public class ReferenceElectionTests
{
    [Theory]
    [InlineData(ReferenceElections.Ed25519, 10, "Ed25519")]
    [InlineData(ReferenceElections.Belenios2048, 200, "BELENIOS-2048")]
    public void A_Belenios_election_verifies_and_its_result_is_recomputed(string name, int voters, string group)
    {
        var report = BoardVerifier.VerifyPath(ReferenceElections.Folder(name));

        Assert.True(report.Ok, report.Problem?.ToString());
        Assert.Equal(group, report.Group);
        Assert.Equal("Published", report.State);
        Assert.Equal(voters, report.BallotsOnBoard);
        Assert.Equal(voters, report.BallotsCounted);
        Assert.Equal(voters, report.Credentials);
        Assert.Equal(ReferenceElections.Read(name, "uuid.txt"), report.Uuid);
        Assert.All(report.Checks, c => Assert.Equal("passed", c.Status));

        // Each check carries its own time; they add up to no more than the whole run, and checking the ballots is
        // real work (each ballot's proofs and signature), so its time is not zero.
        Assert.All(report.Checks, c => Assert.InRange(c.Seconds, 0, report.Seconds + 0.01));
        Assert.True(report.Checks.Sum(c => c.Seconds) <= report.Seconds + 0.01 * report.Checks.Count, string.Join(", ", report.Checks.Select(c => $"{c.Name} {c.Seconds}")));
        Assert.True(report.Checks.Single(c => c.Name == "ballots").Seconds > 0);

        // The recomputed result equals Belenios' result.json (blank is slot 0 there, listed last in the report).
        var expected = ReferenceElections.ExpectedResult(name).Counts[0];
        var counts = report.Result!.Single().Counts;
        Assert.Equal((long)expected[0], counts.Single(c => c.IsBlank).Count);
        for (var j = 1; j < expected.Count; j++)
        {
            Assert.Equal((long)expected[j], counts[j - 1].Count);
        }
        Assert.Equal(["Alice", "Bob", "Carol", "Dave", "blank"], counts.Select(c => c.Answer));
    }

    [Fact]
    public void The_result_matches_the_plaintext_choices_Belenios_encrypted()
    {
        // Independent of any decryption: sum the voters' plaintexts from choices.txt.
        var choices = ReferenceElections.Choices(ReferenceElections.Ed25519);
        var sums = new long[5];
        foreach (var (_, _, choice) in choices)
        {
            for (var j = 0; j < 5; j++)
            {
                sums[j] += choice[0][j];
            }
        }
        var expected = ReferenceElections.ExpectedResult(ReferenceElections.Ed25519).Counts[0];
        Assert.Equal(sums, expected.Select(x => (long)x));
    }

    [Fact]
    public void The_board_also_verifies_given_as_the_bel_file_itself()
    {
        var report = BoardVerifier.VerifyPath(ReferenceElections.Board(ReferenceElections.Ed25519));
        Assert.True(report.Ok);
        Assert.Equal(16, report.Events);
        Assert.Equal("af0716739cdd3be9eaa55685762416866a3ebe30e5f2f8d2a53940d9039e4e1c", report.Head);
    }

    [Fact]
    public void Our_archive_writer_reproduces_Belenios_board_byte_for_byte()
    {
        foreach (var name in new[] { ReferenceElections.Ed25519, ReferenceElections.Belenios2048 })
        {
            var path = ReferenceElections.Board(name);
            var rewritten = new BoardEditor(path).Rechain();
            Assert.Equal(File.ReadAllBytes(path), rewritten);
        }
    }

    [Fact]
    public void Records_serialise_back_to_the_exact_bytes_Belenios_wrote()
    {
        var name = ReferenceElections.Ed25519;
        var election = ElectionRecord.Parse(ReferenceElections.Read(name, "election.json"));
        var group = election.Group;
        Assert.Equal(ReferenceElections.Read(name, "trustees.json"),
            TrusteesRecord.Create(TrusteesRecord.Parse(ReferenceElections.Read(name, "trustees.json"), group).Items, group).Raw);
        Assert.Equal(ReferenceElections.Line(name, "encrypted_tally.json"),
            EncryptedTally.Parse(ReferenceElections.Line(name, "encrypted_tally.json"), group).ToJson());
        Assert.Equal(ReferenceElections.Line(name, "partial_decryption_1.json"),
            PartialDecryption.Parse(ReferenceElections.Line(name, "partial_decryption_1.json"), group).ToJson());
        Assert.Equal(ReferenceElections.Read(name, "result.json"), ElectionResult.Parse(ReferenceElections.Read(name, "result.json")).ToJson());
        var template = ElectionTemplate.Parse(ReferenceElections.Read(name, "template.json"));
        Assert.Equal(election.Raw, ElectionRecord.Create(template, election.Uuid, group, election.PublicKey).Raw);
        Assert.Equal(ReferenceElections.Read(name, "template.json"), template.ToJson());
    }

    [Theory]
    [InlineData(ReferenceElections.Ed25519)]
    [InlineData(ReferenceElections.Belenios2048)]
    public void Ballots_read_from_their_first_fields_match_ballots_read_in_full(string name)
    {
        // The integrity monitor reads the ballots it already verified from their first fields only; the hash the
        // signature covers is cut from the canonical text. Both must agree with Belenios' ballots read in full.
        var records = Archive.Read(File.OpenRead(ReferenceElections.Board(name)), ArchiveLimits.Generous).ToList();
        var data = records.Where(r => r.Kind == RecordKind.Data).ToDictionary(r => r.NameHash, r => r.Text);
        var election = ElectionRecord.Parse(ReferenceElections.Read(name, "election.json"));
        var ballots = records.Where(r => r.Kind == RecordKind.Event).Select(r => BoardEvent.Parse(r.Text))
            .Where(e => e.Type == EventType.Ballot).Select(e => data[e.Payload!]).ToList();
        Assert.NotEmpty(ballots);
        var listed = new PublicCredentials("", ballots.Select(b => new PublicCredential(Ballot.Parse(b, election.Group).Credential, null, null)).ToList());
        foreach (var (raw, i) in ballots.Select((b, i) => (b, i)))
        {
            var full = Ballot.Parse(raw, election.Group);
            // Half of them with the credential list at hand (the monitor's case), half decoding the credential.
            var quick = Ballot.ParseVerified(System.Text.Encoding.UTF8.GetBytes(raw), election.Group, i % 2 == 0 ? listed : null);
            Assert.Equal(raw, quick.Raw);
            Assert.Equal(full.Credential.Encoded, quick.Credential.Encoded);
            Assert.Equal((full.ElectionUuid, full.ElectionHash), (quick.ElectionUuid, quick.ElectionHash));
            Assert.Equal(full.Signature!.Hash, quick.ComputeSignedHash());
            Assert.Equal(Ballot.Serialize(full.ElectionUuid, full.ElectionHash, full.Credential, full.Answers, full.Signature),
                Ballot.Serialize(quick.ElectionUuid, quick.ElectionHash, quick.Credential, quick.Answers, quick.Signature));
        }
    }
}
