using System.Text;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Records.Board;
using Socle.Modules.Voting.Verification;

namespace Socle.Voting.Tests;

/// <summary>Each kind of tampering with a Belenios board is rejected, naming the event and the reason.</summary>
public class TamperingTests
{
    private static readonly string Board = ReferenceElections.Board(ReferenceElections.Ed25519);

    private static VerificationReport Verify(byte[] bytes) => BoardVerifier.Verify(new MemoryStream(bytes));

    private static VerificationProblem Rejected(byte[] bytes, string code)
    {
        var report = Verify(bytes);
        Assert.False(report.Ok, "the tampered board was accepted");
        Assert.Equal(code, report.Problem!.Code);
        return report.Problem;
    }

    [Fact]
    public void The_untouched_board_and_its_rechained_copy_verify()
    {
        Assert.True(Verify(File.ReadAllBytes(Board)).Ok);
        Assert.True(Verify(new BoardEditor(Board).Rechain()).Ok);
    }

    [Fact]
    public void Continuous_monitoring_remembers_valid_ballots_but_still_catches_a_changed_one()
    {
        // The first pass checks every ballot and remembers them; later passes skip their proofs, not their hashes.
        var verified = new HashSet<string>(StringComparer.Ordinal);
        var first = BoardVerifier.Verify(new MemoryStream(File.ReadAllBytes(Board)), new VerifyOptions { VerifiedBallots = verified });
        Assert.True(first.Ok);
        Assert.Equal(first.BallotsOnBoard, verified.Count);
        Assert.True(BoardVerifier.Verify(new MemoryStream(File.ReadAllBytes(Board)), new VerifyOptions { VerifiedBallots = verified }).Ok);

        // A remembered ballot rewritten in place: its content no longer has its name's hash.
        var editor = new BoardEditor(Board);
        var index = editor.FileIndexOf(r => r.Kind == RecordKind.Data && r.Text.StartsWith("{\"election_uuid\"", StringComparison.Ordinal));
        var bytes = editor.Raw.ToArray();
        bytes[editor.ContentOffset(index) + 100] ^= 0x01;
        Assert.Equal("hash_mismatch", BoardVerifier.Verify(new MemoryStream(bytes), new VerifyOptions { VerifiedBallots = verified }).Problem!.Code);

        // A forged ballot with the chain rebuilt has a new name: it is checked in full, and refused.
        var forged = new BoardEditor(Board);
        var step = forged.Ballots.ElementAt(3);
        step.Payload = BoardEditor.FlipDigit(step.Payload, "response", occurrence: 4);
        var count = verified.Count;
        Assert.Equal("ballot_proof_invalid", BoardVerifier.Verify(new MemoryStream(forged.Rechain()), new VerifyOptions { VerifiedBallots = verified }).Problem!.Code);
        Assert.Equal(count, verified.Count);
    }

    [Fact]
    public void Continuous_monitoring_remembers_the_credentials_only_while_their_file_is_the_same()
    {
        // Passes with a memory read the credential list once; the reports are those of a verification without memory.
        var memory = new VerifyMemory();
        var verified = new HashSet<string>(StringComparer.Ordinal);
        var plain = Verify(File.ReadAllBytes(Board));
        for (var pass = 0; pass < 3; pass++)
        {
            var report = BoardVerifier.Verify(new MemoryStream(File.ReadAllBytes(Board)), new VerifyOptions { VerifiedBallots = verified, Memory = memory });
            Assert.True(report.Ok, report.Problem?.ToString());
            Assert.Equal((plain.BallotsOnBoard, plain.BallotsCounted, plain.Credentials), (report.BallotsOnBoard, report.BallotsCounted, report.Credentials));
        }

        // The list rewritten without the credential of a remembered ballot (chain rebuilt): the new file has a new
        // hash, so it is read again, and that ballot's credential is no longer listed.
        var editor = new BoardEditor(Board);
        var ballot = System.Text.Json.Nodes.JsonNode.Parse(editor.Ballots.ElementAt(2).Payload)!;
        var credential = ballot["credential"]!.GetValue<string>();
        var setup = editor.Steps.First(s => s.Type == EventType.Setup);
        var items = System.Text.Json.Nodes.JsonNode.Parse(setup.Data[2])!.AsArray(); // Belenios' public_creds.json: an array
        items.Remove(items.First(c => c!.GetValue<string>().StartsWith(credential, StringComparison.Ordinal)));
        setup.Data[2] = items.ToJsonString();
        var shorter = BoardVerifier.Verify(new MemoryStream(editor.Rechain()), new VerifyOptions { VerifiedBallots = verified, Memory = memory });
        Assert.Equal("ballot_unknown_credential", shorter.Problem?.Code);
    }

    [Fact]
    public void A_flipped_byte_in_a_stored_ballot_breaks_its_hash()
    {
        var editor = new BoardEditor(Board);
        var index = editor.FileIndexOf(r => r.Kind == RecordKind.Data && r.Text.StartsWith("{\"election_uuid\"", StringComparison.Ordinal));
        var bytes = editor.Raw.ToArray();
        bytes[editor.ContentOffset(index) + 100] ^= 0x01;
        var problem = Rejected(bytes, "hash_mismatch");
        Assert.Equal(index, problem.FileIndex);
    }

    [Fact]
    public void A_flipped_digit_in_a_ballot_proof_is_caught_by_the_proof_check_even_when_the_chain_is_rebuilt()
    {
        var editor = new BoardEditor(Board);
        var step = editor.Ballots.ElementAt(3);
        step.Payload = BoardEditor.FlipDigit(step.Payload, "response", occurrence: 4); // a 0/1 proof of the first question
        var problem = Rejected(editor.Rechain(), "ballot_proof_invalid");
        Assert.Equal(4, problem.Height);
        Assert.Equal("Ballot", problem.EventType);
        Assert.Contains("question 1", problem.Message);
        Assert.Equal(Hashing.Sha256Base64(step.Payload), problem.TrackingNumber);
    }

    [Fact]
    public void A_flipped_digit_in_the_overall_or_blank_proof_is_caught()
    {
        var editor = new BoardEditor(Board);
        var step = editor.Ballots.ElementAt(0);
        var overall = step.Payload.IndexOf("\"overall_proof\"", StringComparison.Ordinal);
        var before = step.Payload[..overall].Split("\"challenge\"").Length - 1;
        step.Payload = BoardEditor.FlipDigit(step.Payload, "challenge", occurrence: before);
        var problem = Rejected(editor.Rechain(), "ballot_proof_invalid");
        Assert.Contains("overall proof", problem.Message);

        var blank = new BoardEditor(Board);
        var s = blank.Ballots.ElementAt(1);
        var at = s.Payload.IndexOf("\"blank_proof\"", StringComparison.Ordinal);
        s.Payload = BoardEditor.FlipDigit(s.Payload, "response", occurrence: s.Payload[..at].Split("\"response\"").Length - 1);
        Assert.Contains("blank proof", Rejected(blank.Rechain(), "ballot_proof_invalid").Message);
    }

    [Fact]
    public void A_flipped_digit_in_a_ballot_signature_is_caught()
    {
        var editor = new BoardEditor(Board);
        var step = editor.Ballots.Last();
        var signature = step.Payload.IndexOf("\"signature\"", StringComparison.Ordinal);
        step.Payload = BoardEditor.FlipDigit(step.Payload, "response", occurrence: step.Payload[..signature].Split("\"response\"").Length - 1);
        var problem = Rejected(editor.Rechain(), "ballot_signature_invalid");
        Assert.Equal(10, problem.Height);
    }

    [Fact]
    public void A_ballot_changed_in_its_ciphertext_is_caught()
    {
        var editor = new BoardEditor(Board);
        var step = editor.Ballots.ElementAt(2);
        // Replace the first alpha with g: a valid point, but the ballot no longer matches its signature.
        var alpha = step.Payload.IndexOf("\"alpha\":\"", StringComparison.Ordinal) + 9;
        step.Payload = step.Payload[..alpha] + Groups.Ed25519.Generator.Encoded + step.Payload[(alpha + 64)..];
        var problem = Rejected(editor.Rechain(), "ballot_proof_invalid");
        Assert.Equal(3, problem.Height);
        Assert.Contains("question 1, value 1", problem.Message);
        Assert.Contains("signature covers another ballot", problem.Message);
    }

    [Fact]
    public void A_flipped_byte_in_an_event_breaks_the_chain()
    {
        var editor = new BoardEditor(Board);
        var index = editor.FileIndexOf(r => r.Kind == RecordKind.Event && r.Text.Contains("\"height\":5,", StringComparison.Ordinal));
        var bytes = editor.Raw.ToArray();
        bytes[editor.ContentOffset(index) + 90] ^= 0x02;
        Assert.Equal(index, Rejected(bytes, "hash_mismatch").FileIndex);
    }

    [Fact]
    public void An_event_rewritten_under_a_new_name_leaves_its_child_pointing_at_nothing()
    {
        // A forger who renames the altered event file to its new hash still breaks the next event's parent link.
        var editor = new BoardEditor(Board);
        using var input = new MemoryStream(editor.Raw);
        var records = Archive.Read(input, ArchiveLimits.Generous).ToList();
        var output = new MemoryStream();
        foreach (var r in records)
        {
            var text = r.Text;
            if (r.Kind == RecordKind.Event && text.Contains("\"height\":5,", StringComparison.Ordinal))
            {
                text = text.Replace("\"height\":5,", "\"height\":6,", StringComparison.Ordinal);
            }
            var name = r.Kind == RecordKind.Header ? "BELENIOS" : $"{Hashing.Sha256Hex(text)}.{(r.Kind == RecordKind.Data ? "data" : "event")}.json";
            Archive.WriteRecord(output, name, Encoding.UTF8.GetBytes(text), editor.Timestamp);
        }
        var report = Verify(output.ToArray());
        Assert.False(report.Ok);
        Assert.Contains(report.Problem!.Code, new[] { "chain_broken", "event_missing" });
        Assert.Equal(5, report.Problem.Height);
    }

    [Fact]
    public void A_dropped_ballot_is_caught_by_the_tally_when_the_chain_is_rebuilt()
    {
        var editor = new BoardEditor(Board);
        editor.Steps.Remove(editor.Ballots.ElementAt(4));
        var problem = Rejected(editor.Rechain(), "tally_mismatch");
        Assert.Equal("EncryptedTally", problem.EventType);
        Assert.Contains("10 ballots were counted", problem.Message);
        Assert.Contains("9 ballots to count", problem.Message);
    }

    [Fact]
    public void A_dropped_ballot_is_caught_by_the_chain_otherwise()
    {
        var editor = new BoardEditor(Board);
        using var input = new MemoryStream(editor.Raw);
        var records = Archive.Read(input, ArchiveLimits.Generous).ToList();
        var ballotEvent = records.First(r => r.Kind == RecordKind.Event && r.Text.Contains("\"height\":4,", StringComparison.Ordinal));
        var ballotData = records[ballotEvent.Index - 1];
        var output = new MemoryStream();
        foreach (var r in records.Where(r => r.Index != ballotEvent.Index && r.Index != ballotData.Index))
        {
            Archive.WriteRecord(output, r.FileName, r.Content, editor.Timestamp);
        }
        var problem = Rejected(output.ToArray(), "event_missing");
        Assert.Equal(4, problem.Height);
    }

    [Fact]
    public void A_duplicated_ballot_is_caught()
    {
        var editor = new BoardEditor(Board);
        var copy = editor.Ballots.ElementAt(2);
        var at = editor.Steps.IndexOf(editor.Ballots.Last());
        editor.Steps.Insert(at + 1, new BoardEditor.Step(EventType.Ballot, [copy.Payload], true));
        var problem = Rejected(editor.Rechain(), "ballot_duplicate");
        Assert.Equal(11, problem.Height);
        Assert.Contains("height 3", problem.Message);
    }

    [Fact]
    public void Reordered_ballot_events_are_caught()
    {
        var editor = new BoardEditor(Board);
        using var input = new MemoryStream(editor.Raw);
        var records = Archive.Read(input, ArchiveLimits.Generous).ToList();
        int EventAt(int h) => records.First(r => r.Kind == RecordKind.Event && r.Text.Contains($"\"height\":{h},", StringComparison.Ordinal)).Index;
        var (e3, e4) = (EventAt(3), EventAt(4));
        // Swap ballot 3 (data + event) and ballot 4 (data + event).
        var order = records.Select(r => r.Index).ToList();
        order[e3 - 1] = e4 - 1;
        order[e3] = e4;
        order[e4 - 1] = e3 - 1;
        order[e4] = e3;
        var output = new MemoryStream();
        foreach (var i in order)
        {
            Archive.WriteRecord(output, records[i].FileName, records[i].Content, editor.Timestamp);
        }
        var problem = Rejected(output.ToArray(), "event_reordered");
        Assert.Equal(3, problem.Height);
    }

    [Fact]
    public void A_wrong_partial_decryption_is_caught()
    {
        var editor = new BoardEditor(Board);
        var step = editor.Steps.First(s => s.Type == EventType.PartialDecryption);
        var pd = PartialDecryption.Parse(step.Data[0], Groups.Ed25519);
        var factors = pd.Factors[0].ToArray();
        (factors[1], factors[2]) = (factors[2], factors[1]);
        step.Data[0] = (pd with { Factors = [factors] }).ToJson();
        var problem = Rejected(editor.Rechain(), "partial_decryption_invalid");
        Assert.Equal(13, problem.Height);
        Assert.Contains("trustee 1", problem.Message);
        Assert.Contains("answer slot 2", problem.Message);
    }

    [Fact]
    public void A_partial_decryption_claimed_by_the_wrong_trustee_is_caught()
    {
        var editor = new BoardEditor(Board);
        var steps = editor.Steps.Where(s => s.Type == EventType.PartialDecryption).ToList();
        steps[0].Data[1] = new Owned(2, Hashing.Sha256Hex(steps[0].Data[0])).ToJson();
        steps[1].Data[1] = new Owned(1, Hashing.Sha256Hex(steps[1].Data[0])).ToJson();
        Assert.Contains("trustee 2", Rejected(editor.Rechain(), "partial_decryption_invalid").Message);
    }

    [Fact]
    public void A_wrong_result_is_caught_naming_the_answer()
    {
        var editor = new BoardEditor(Board);
        var step = editor.Steps.Single(s => s.Type == EventType.Result);
        step.Payload = "{\"result\":[[1,3,2,3,1]]}"; // Alice and Bob swapped
        var problem = Rejected(editor.Rechain(), "result_mismatch");
        Assert.Equal("Result", problem.EventType);
        Assert.Equal(15, problem.Height);
        Assert.Contains("Alice", problem.Message);
        Assert.Contains("says 3", problem.Message);
        Assert.Contains("gives 2", problem.Message);
    }

    [Fact]
    public void A_tally_that_is_not_the_product_of_the_ballots_is_caught()
    {
        var editor = new BoardEditor(Board);
        var step = editor.Steps.Single(s => s.Type == EventType.EncryptedTally);
        var tally = EncryptedTally.Parse(step.Data[0], Groups.Ed25519);
        var row = tally.Questions[0].ToArray();
        (row[0], row[1]) = (row[1], row[0]);
        step.Data[0] = new EncryptedTally([row]).ToJson();
        Assert.Equal("EncryptedTally", Rejected(editor.Rechain(), "tally_mismatch").EventType);
    }

    [Fact]
    public void A_ballot_from_a_credential_not_on_the_list_is_caught()
    {
        var editor = new BoardEditor(Board);
        var election = ElectionRecord.Parse(editor.Steps[0].Data[0]);
        var intruder = BallotEncryption.Encrypt(election, Credentials.NewPrivate(), [[0, 1, 0, 0, 0]]);
        var at = editor.Steps.IndexOf(editor.Ballots.Last());
        editor.Steps.Insert(at + 1, new BoardEditor.Step(EventType.Ballot, [intruder.Raw], true));
        var problem = Rejected(editor.Rechain(), "ballot_unknown_credential");
        Assert.Equal(intruder.TrackingNumber, problem.TrackingNumber);
    }

    [Fact]
    public void A_ballot_after_the_end_of_voting_is_caught()
    {
        var editor = new BoardEditor(Board);
        var ballot = editor.Ballots.First();
        editor.Steps.Remove(ballot);
        editor.Steps.Insert(editor.Steps.FindIndex(s => s.Type == EventType.EndBallots) + 1, ballot);
        var problem = Rejected(editor.Rechain(), "event_out_of_order");
        Assert.Contains("after the end of voting", problem.Message);
    }

    [Fact]
    public void A_non_canonical_ballot_is_caught()
    {
        var editor = new BoardEditor(Board);
        var step = editor.Ballots.First();
        step.Payload = step.Payload.Replace("{\"election_uuid\":", "{ \"election_uuid\":", StringComparison.Ordinal);
        Assert.Contains("canonical", Rejected(editor.Rechain(), "ballot_malformed").Message);
    }

    [Fact]
    public void A_trustee_key_with_a_wrong_proof_is_caught()
    {
        var editor = new BoardEditor(Board);
        editor.Steps[0].Data[1] = BoardEditor.FlipDigit(editor.Steps[0].Data[1], "response");
        var problem = Rejected(editor.Rechain(), "trustees_invalid");
        Assert.Equal(0, problem.Height);
        Assert.Contains("trustee 1", problem.Message);
    }

    [Fact]
    public void A_truncated_board_is_caught()
    {
        var bytes = File.ReadAllBytes(Board);
        var problem = Rejected(bytes[..(bytes.Length - 700)], "archive_malformed");
        Assert.Contains("truncated", problem.Message);
    }

    [Fact]
    public void A_board_cut_after_a_complete_event_verifies_as_an_earlier_state_and_its_head_tells()
    {
        // Dropping whole events off the end gives a consistent older board: only a head published elsewhere detects it.
        var editor = new BoardEditor(Board);
        editor.Steps.RemoveRange(11, editor.Steps.Count - 11);
        var report = Verify(editor.Rechain());
        Assert.True(report.Ok);
        Assert.Equal("Open", report.State);
        Assert.NotEqual("af0716739cdd3be9eaa55685762416866a3ebe30e5f2f8d2a53940d9039e4e1c", report.Head);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/cron.d/evil")]
    [InlineData("ballots/../x.data.json")]
    public void Archive_entries_with_other_names_are_refused_and_nothing_is_extracted(string name)
    {
        var bytes = File.ReadAllBytes(Board).ToList();
        var extra = new MemoryStream();
        Archive.WriteRecord(extra, name, "{}"u8, 0);
        bytes.AddRange(extra.ToArray());
        var problem = Rejected([.. bytes], "archive_malformed");
        Assert.Contains("unexpected file name", problem.Message);
    }

    [Fact]
    public void An_oversized_entry_is_refused_before_it_is_read()
    {
        var output = new MemoryStream();
        Archive.WriteRecord(output, "BELENIOS", Encoding.UTF8.GetBytes(Archive.HeaderJson(0)), 0);
        var header = new byte[512];
        var big = new MemoryStream();
        Archive.WriteRecord(big, new string('a', 64) + ".data.json", new byte[10], 0);
        big.ToArray().AsSpan(0, 512).CopyTo(header);
        // Claim 1 GiB in the size field and fix the checksum.
        Encoding.ASCII.GetBytes(Convert.ToString(1L << 30, 8).PadLeft(11, '0')).CopyTo(header, 124);
        Encoding.ASCII.GetBytes("        ").CopyTo(header, 148);
        var sum = header.Sum(b => (int)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        output.Write(header);
        var report = BoardVerifier.Verify(new MemoryStream(output.ToArray()), new VerifyOptions { Limits = new ArchiveLimits(64 << 20, 16 << 20, 1000) });
        Assert.Equal("archive_malformed", report.Problem!.Code);
        Assert.Contains("more than the limit", report.Problem.Message);
    }
}
