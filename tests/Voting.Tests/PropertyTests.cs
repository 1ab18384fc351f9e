using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Elections;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Verification;

namespace Socle.Voting.Tests;

/// <summary>Properties checked on random inputs (FsCheck): encryption, proofs, threshold decryption.</summary>
public class PropertyTests
{
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(25);

    private static Group GroupNamed(bool ed) => ed ? Groups.Ed25519 : Groups.Belenios2048;

    [Fact]
    public void Encrypt_then_decrypt_gives_back_the_message()
    {
        var property = Prop.ForAll(Gen.Choose(0, 1000).ToArbitrary(), Gen.Elements(true, true, true, false).ToArbitrary(), (m, ed) =>
        {
            var group = GroupNamed(ed);
            var x = Zq.RandomNonZero(group.Order);
            var y = group.GeneratorPowerSecret(x);
            var c = BallotEncryption.Encrypt(group, y, Zq.Random(group.Order), m);
            var plain = group.Divide(c.Beta, group.PowerSecret(c.Alpha, x));
            return new DiscreteLog(group, 1000).Find(plain) == m;
        });
        Check.One(Quick, property);
    }

    /// <summary>A random homomorphic question and a valid plaintext for it.</summary>
    private static Gen<(Question Question, int[] Plaintext)> QuestionAndChoice() =>
        from answers in Gen.Choose(1, 5)
        from min in Gen.Choose(0, answers)
        from max in Gen.Choose(Math.Max(min, 1), answers)
        from blank in Gen.Elements(true, false)
        from voteBlank in Gen.Elements(true, false, false)
        from count in Gen.Choose(min, max)
        from selected in Gen.Shuffle(Enumerable.Range(0, answers))
        select Make(answers, min, max, blank, blank && voteBlank, selected.Take(count).ToHashSet());

    private static (Question, int[]) Make(int answers, int min, int max, bool blank, bool voteBlank, HashSet<int> chosen)
    {
        var q = new Question("Q", Enumerable.Range(1, answers).Select(i => $"A{i}").ToList(), blank ? true : null, min, max);
        var slots = Enumerable.Range(0, answers).Select(i => !voteBlank && chosen.Contains(i) ? 1 : 0);
        var plain = blank ? [voteBlank ? 1 : 0, .. slots] : slots.ToArray();
        return (q, plain);
    }

    private static ElectionRecord Election(Group group, Question question)
    {
        var key = TrusteeKeys.GenerateSingle(group);
        return ElectionRecord.Create(new ElectionTemplate("P", "property test", [question]), Base58.NewUuid(), group, key.PublicKey.PublicKey);
    }

    [Fact]
    public void Ballots_with_any_valid_choice_verify_and_any_altered_proof_fails()
    {
        var property = Prop.ForAll(QuestionAndChoice().ToArbitrary(), Gen.Choose(0, 1_000_000).ToArbitrary(), (qc, pick) =>
        {
            var group = Groups.Ed25519;
            var election = Election(group, qc.Question);
            var credential = Credentials.NewPrivate();
            var ballot = BallotEncryption.Encrypt(election, credential, [qc.Plaintext]);
            var checker = new BallotChecker(election);
            if (checker.Check(Ballot.Parse(ballot.Raw, group)) is not null)
            {
                return false;
            }
            // Alter one scalar of one proof (response + 1), then sign again so that only the proof can fail.
            var answer = ballot.Answers[0];
            var proofs = answer.IndividualProofs.SelectMany(p => p).Concat(answer.OverallProof).Concat(answer.BlankProof ?? []).ToList();
            var target = pick % proofs.Count;
            var seen = 0;
            IReadOnlyList<Proof> Alter(IReadOnlyList<Proof> list) => list.Select(p => seen++ == target
                ? p with { Response = Zq.Reduce(p.Response + 1, group.Order) }
                : p).ToList();
            var altered = answer with
            {
                IndividualProofs = answer.IndividualProofs.Select(Alter).ToList(),
                OverallProof = Alter(answer.OverallProof),
                BlankProof = answer.BlankProof is null ? null : Alter(answer.BlankProof),
            };
            var resigned = Resign(election, credential, [altered]);
            var problem = checker.Check(Ballot.Parse(resigned.Raw, group));
            return problem is { Code: BallotChecker.ProofInvalid } && problem.Message.Contains("proof", StringComparison.Ordinal);
        });
        Check.One(Quick, property);
    }

    internal static Ballot Resign(ElectionRecord election, string credential, IReadOnlyList<Answer> answers)
    {
        var group = election.Group;
        var s = Credentials.DeriveSecret(election.Uuid, credential, group);
        var pub = group.GeneratorPowerSecret(s);
        var hash = Hashing.Sha256Base64(Ballot.Serialize(election.Uuid, election.Fingerprint, pub, answers, null));
        var signature = FiatShamir.ProveKnowledge(group, s, FiatShamir.BallotSignature(hash));
        return Ballot.Create(election.Uuid, election.Fingerprint, pub, answers, new BallotSignature(hash, signature));
    }

    [Fact]
    public void A_ballot_outside_min_max_cannot_be_made()
    {
        var group = Groups.Ed25519;
        var election = Election(group, new Question("Q", ["A", "B", "C"], null, 1, 2));
        Assert.Throws<ArgumentException>(() => BallotEncryption.Encrypt(election, Credentials.NewPrivate(), [[1, 1, 1]]));
        Assert.Throws<ArgumentException>(() => BallotEncryption.Encrypt(election, Credentials.NewPrivate(), [[0, 0, 0]]));
        Assert.Throws<ArgumentException>(() => BallotEncryption.Encrypt(election, Credentials.NewPrivate(), [[0, 2, 0]]));
    }

    [Fact]
    public void Threshold_decryption_works_with_any_threshold_trustees_and_not_with_fewer()
    {
        var property = Prop.ForAll(Gen.Choose(2, 5).SelectMany(n => Gen.Choose(1, n).Select(t => (n, t))).ToArbitrary(),
            Gen.Choose(0, 30).ToArbitrary(), (nt, m) =>
        {
            var (n, threshold) = nt;
            var group = Groups.Ed25519;
            var ceremony = Ceremony(group, n, threshold);
            var trustees = TrusteesRecord.Create([new TrusteeKind.Pedersen(ceremony.Parameters)], group);
            var key = ElectionKey.Combine(group, trustees);
            var election = ElectionRecord.Create(new ElectionTemplate("T", "threshold", [new Question("Q", ["A"], null, 0, 1)]), Base58.NewUuid(), group, key);
            var c = BallotEncryption.Encrypt(group, key, Zq.Random(group.Order), m);
            var tally = new EncryptedTally([[c]]);
            var shares = ceremony.Shares;

            var subset = Enumerable.Range(1, n).OrderBy(_ => Random.Shared.Next()).Take(threshold).ToList();
            var pds = subset.ToDictionary(j => j, j => Tallying.Decrypt(election, tally, shares[j - 1]));
            if (pds.Any(p => Tallying.CheckPartialDecryption(election, tally, ceremony.Parameters.VerificationKeys[p.Key - 1].PublicKey, p.Value) is not null))
            {
                return false;
            }
            var factors = Tallying.CombineFactors(election, trustees, pds, tally);
            var result = Tallying.ComputeResult(election, tally, factors.Value!, 30);
            var decrypts = result.IsSuccess && result.Value!.Counts[0][0] == m;

            // With one trustee fewer: refused, and interpolating anyway does not give the plaintext.
            var fewer = pds.Take(threshold - 1).ToDictionary(p => p.Key, p => p.Value);
            var refused = !Tallying.CombineFactors(election, trustees, fewer, tally).IsSuccess;
            var wrong = true;
            if (threshold > 1)
            {
                var indexes = fewer.Keys.ToList();
                var f = group.Product(indexes.Select(k => group.Power(fewer[k].Factors[0][0], Tallying.Lagrange(indexes, k, group.Order))));
                wrong = !group.AreEqual(group.Divide(c.Beta, f), group.GeneratorPower(m));
            }
            return decrypts && refused && wrong;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(12), property);
    }

    internal sealed record CeremonyResult(ThresholdParameters Parameters, IReadOnlyList<BigInteger> Shares, IReadOnlyList<ThresholdCertificate> Certificates, IReadOnlyList<ThresholdOutput> Outputs);

    internal static CeremonyResult Ceremony(Group group, int n, int threshold)
    {
        var certs = Enumerable.Range(1, n).Select(i => ThresholdKeys.Certificate(group, n, threshold, i)).ToList();
        var signed = certs.Select(c => c.Certificate).ToList();
        var polys = certs.Select(c => ThresholdKeys.Polynomial(group, signed, c.Seed)).ToList();
        var inputs = ThresholdKeys.Inputs(group, signed, polys);
        var outputs = certs.Select((c, i) => ThresholdKeys.Output(group, signed, c.Seed, inputs[i])).ToList();
        var parameters = ThresholdKeys.Parameters(group, signed, polys, outputs);
        var shares = certs.Select((c, i) => ThresholdKeys.OpenDecryptionKey(group, c.Seed, outputs[i].PrivateKey)).ToList();
        return new CeremonyResult(parameters, shares, certs, outputs);
    }

    [Fact]
    public void A_share_that_does_not_match_the_commitments_is_refused_by_its_recipient()
    {
        var group = Groups.Ed25519;
        var certs = Enumerable.Range(1, 3).Select(i => ThresholdKeys.Certificate(group, 3, 2, i)).ToList();
        var signed = certs.Select(c => c.Certificate).ToList();
        var polys = certs.Select(c => ThresholdKeys.Polynomial(group, signed, c.Seed)).ToList();
        // Trustee 1 sends trustee 2 a share of another polynomial (made with its own keys, so it decrypts and is signed).
        var rogue = ThresholdKeys.Polynomial(group, signed, certs[0].Seed);
        polys[0] = polys[0] with { Secrets = [polys[0].Secrets[0], rogue.Secrets[1], polys[0].Secrets[2]] };
        var inputs = ThresholdKeys.Inputs(group, signed, polys);
        var e = Assert.Throws<RecordFormatException>(() => ThresholdKeys.Output(group, signed, certs[1].Seed, inputs[1]));
        Assert.Contains("trustee 1 does not match its commitments", e.Message);
    }
}
