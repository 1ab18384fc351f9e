using System.Numerics;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;

namespace Socle.Modules.Voting.Elections;

/// <summary>
/// Encrypts a plaintext choice into a signed ballot (specification §Encrypted answers, §Signatures, §Ballots), as a
/// voter's device does: ElGamal encryption of each slot, a 0/1 proof per slot, the overall (and blank) proofs, then the
/// Schnorr signature with the credential. Every secret-dependent exponentiation is constant time.
/// </summary>
public static class BallotEncryption
{
    /// <summary>Checks a plaintext against the questions: one array per question, one 0/1 per slot (blank first), within min..max.</summary>
    public static string? ValidatePlaintext(ElectionRecord election, IReadOnlyList<IReadOnlyList<int>> plaintext)
    {
        if (plaintext.Count != election.Questions.Count)
        {
            return $"the election has {election.Questions.Count} question(s), the choice has {plaintext.Count}";
        }
        for (var i = 0; i < plaintext.Count; i++)
        {
            var q = election.Questions[i];
            var m = plaintext[i];
            if (m.Count != q.Slots)
            {
                return $"question {i + 1}: {q.Slots} values expected ({(q.AllowsBlank ? "blank first, then " : "")}{q.Answers.Count} answers), {m.Count} given";
            }
            if (m.Any(v => v is not (0 or 1)))
            {
                return $"question {i + 1}: each value must be 0 or 1";
            }
            if (q.AllowsBlank && m[0] == 1)
            {
                if (m.Skip(1).Any(v => v == 1))
                {
                    return $"question {i + 1}: a blank vote selects no answer";
                }
                continue;
            }
            var selected = q.AllowsBlank ? m.Skip(1).Sum() : m.Sum();
            if (selected < q.Min || selected > q.Max)
            {
                return $"question {i + 1}: between {q.Min} and {q.Max} answers must be selected, {selected} are";
            }
        }
        return null;
    }

    public static Ballot Encrypt(ElectionRecord election, string privateCredential, IReadOnlyList<IReadOnlyList<int>> plaintext)
    {
        if (ValidatePlaintext(election, plaintext) is { } problem)
        {
            throw new ArgumentException(problem, nameof(plaintext));
        }
        var group = election.Group;
        var q = group.Order;
        var s = Credentials.DeriveSecret(election.Uuid, privateCredential, group);
        var credential = group.GeneratorPowerSecret(s);
        var s0 = FiatShamir.BallotStatement(election.Fingerprint, credential);
        var answers = new Answer[plaintext.Count];
        for (var i = 0; i < plaintext.Count; i++)
        {
            answers[i] = EncryptAnswer(group, election.PublicKey, s0, election.Questions[i], plaintext[i]);
        }
        var unsigned = Ballot.Serialize(election.Uuid, election.Fingerprint, credential, answers, null);
        var hash = Hashing.Sha256Base64(unsigned);
        var signature = FiatShamir.ProveKnowledge(group, s, FiatShamir.BallotSignature(hash));
        return Ballot.Create(election.Uuid, election.Fingerprint, credential, answers, new BallotSignature(hash, signature));
    }

    private static Answer EncryptAnswer(Group group, Element y, string s0, Question question, IReadOnlyList<int> m)
    {
        var q = group.Order;
        var n = m.Count;
        var r = new BigInteger[n];
        var choices = new Ciphertext[n];
        var proofs = new IReadOnlyList<Proof>[n];
        var one = new[] { 0, 1 };
        for (var i = 0; i < n; i++)
        {
            r[i] = Zq.Random(q);
            choices[i] = Encrypt(group, y, r[i], m[i]);
            proofs[i] = ProveInterval(group, y, s0, choices[i], r[i], m[i], one);
        }
        var s = FiatShamir.AnswerStatement(s0, choices);
        if (question.AllowsBlank)
        {
            var sumR = BigInteger.Zero;
            var sumM = 0;
            var sumC = Ciphertext.Neutral(group);
            for (var i = 1; i < n; i++)
            {
                sumR += r[i];
                sumM += m[i];
                sumC = sumC.Multiply(group, choices[i]);
            }
            var (overall, blank) = ProveBlank(group, y, s, question.Min, question.Max, m[0], choices[0], r[0], sumM, sumC, Zq.Reduce(sumR, q));
            return new Answer(choices, proofs, overall, blank);
        }
        else
        {
            var sumR = BigInteger.Zero;
            var sumM = 0;
            var sumC = Ciphertext.Neutral(group);
            for (var i = 0; i < n; i++)
            {
                sumR += r[i];
                sumM += m[i];
                sumC = sumC.Multiply(group, choices[i]);
            }
            var range = Enumerable.Range(question.Min, question.Max - question.Min + 1).ToArray();
            var overall = ProveInterval(group, y, s, sumC, Zq.Reduce(sumR, q), sumM, range);
            return new Answer(choices, proofs, overall, null);
        }
    }

    /// <summary>(g^r, y^r·g^m).</summary>
    public static Ciphertext Encrypt(Group group, Element y, BigInteger r, int m)
    {
        var beta = group.PowerSecret(y, r);
        if (m != 0)
        {
            beta = group.Multiply(beta, group.GeneratorPowerSecret(m));
        }
        return new Ciphertext(group.GeneratorPowerSecret(r), beta);
    }

    /// <summary>g^response·base^challenge, constant time in both exponents.</summary>
    private static Element Commit(Group group, Element @base, BigInteger response, BigInteger challenge) =>
        group.Multiply(group.GeneratorPowerSecret(response), group.PowerSecret(@base, challenge));

    private static Element CommitY(Group group, Element y, Element @base, BigInteger response, BigInteger challenge) =>
        group.Multiply(group.PowerSecret(y, response), group.PowerSecret(@base, challenge));

    /// <summary>
    /// iprove(S, r, m, M_0 … M_k): a disjunctive Chaum–Pedersen proof that (α, β) = (g^r, y^r·g^m) with m among
    /// <paramref name="values"/> (specification §Proofs of interval membership).
    /// </summary>
    public static IReadOnlyList<Proof> ProveInterval(Group group, Element y, string s, Ciphertext c, BigInteger r, int m, IReadOnlyList<int> values)
    {
        var q = group.Order;
        var k = values.Count;
        var index = -1;
        for (var j = 0; j < k; j++)
        {
            if (values[j] == m)
            {
                index = j;
            }
        }
        if (index < 0)
        {
            throw new ArgumentException($"{m} is not among the allowed values", nameof(m));
        }
        var proofs = new Proof[k];
        var commitments = new Element[2 * k];
        var total = BigInteger.Zero;
        for (var j = 0; j < k; j++)
        {
            if (j == index)
            {
                continue;
            }
            var challenge = Zq.Random(q);
            var response = Zq.Random(q);
            proofs[j] = new Proof(challenge, response);
            commitments[2 * j] = Commit(group, c.Alpha, response, challenge);
            var shifted = values[j] == 0 ? c.Beta : group.Divide(c.Beta, group.GeneratorPower(values[j]));
            commitments[(2 * j) + 1] = CommitY(group, y, shifted, response, challenge);
            total += challenge;
        }
        var w = Zq.Random(q);
        commitments[2 * index] = group.GeneratorPowerSecret(w);
        commitments[(2 * index) + 1] = group.PowerSecret(y, w);
        var h = Hashing.HashElements(FiatShamir.Interval(s, c.Alpha, c.Beta), commitments, q);
        var realChallenge = Zq.Reduce(h - total, q);
        proofs[index] = new Proof(realChallenge, Zq.Reduce(w - (r * realChallenge), q));
        return proofs;
    }

    /// <summary>The overall and blank proofs of a question that allows blank votes (specification §Proofs of possibly-blank votes).</summary>
    public static (IReadOnlyList<Proof> Overall, IReadOnlyList<Proof> Blank) ProveBlank(
        Group group, Element y, string s, int min, int max, int m0, Ciphertext c0, BigInteger r0, int mSum, Ciphertext cSum, BigInteger rSum)
    {
        var q = group.Order;
        var count = max - min + 2;
        Proof[] blank;
        var overall = new Proof[count];
        var commitments = new Element[2 * count];
        if (m0 == 0)
        {
            // blank proof: m0 = 0 ∨ mΣ = 0, first case true; fake the Σ side.
            var c1 = Zq.Random(q);
            var s1 = Zq.Random(q);
            var a1 = Commit(group, cSum.Alpha, s1, c1);
            var b1 = CommitY(group, y, cSum.Beta, s1, c1);
            var w = Zq.Random(q);
            var a0 = group.GeneratorPowerSecret(w);
            var b0 = group.PowerSecret(y, w);
            var h = Hashing.HashElements(FiatShamir.BlankProof(s), [a0, b0, a1, b1], q);
            var c0c = Zq.Reduce(h - c1, q);
            blank = [new Proof(c0c, Zq.Reduce(w - (r0 * c0c), q)), new Proof(c1, s1)];

            // overall proof: m0 = 1 ∨ mΣ ∈ [min, max], second case true with mΣ = min + index − 1.
            if (mSum < min || mSum > max)
            {
                throw new ArgumentException("the number of selected answers is outside min..max", nameof(mSum));
            }
            var f0c = Zq.Random(q);
            var f0r = Zq.Random(q);
            overall[0] = new Proof(f0c, f0r);
            commitments[0] = Commit(group, c0.Alpha, f0r, f0c);
            commitments[1] = CommitY(group, y, group.Divide(c0.Beta, group.Generator), f0r, f0c);
            var total = f0c;
            var indexTrue = mSum - min + 1;
            for (var i = 1; i < count; i++)
            {
                if (i == indexTrue)
                {
                    continue;
                }
                var ch = Zq.Random(q);
                var re = Zq.Random(q);
                overall[i] = new Proof(ch, re);
                var shifted = group.Divide(cSum.Beta, group.GeneratorPower(min + i - 1));
                commitments[2 * i] = Commit(group, cSum.Alpha, re, ch);
                commitments[(2 * i) + 1] = CommitY(group, y, shifted, re, ch);
                total += ch;
            }
            var w2 = Zq.Random(q);
            commitments[2 * indexTrue] = group.GeneratorPowerSecret(w2);
            commitments[(2 * indexTrue) + 1] = group.PowerSecret(y, w2);
            var h2 = Hashing.HashElements(FiatShamir.OverallBlankProof(s), commitments, q);
            var cTrue = Zq.Reduce(h2 - total, q);
            overall[indexTrue] = new Proof(cTrue, Zq.Reduce(w2 - (rSum * cTrue), q));
        }
        else
        {
            if (mSum != 0)
            {
                throw new ArgumentException("a blank vote selects no answer", nameof(mSum));
            }
            // blank proof: second case (mΣ = 0) true; fake the blank slot side.
            var c0f = Zq.Random(q);
            var s0f = Zq.Random(q);
            var a0 = Commit(group, c0.Alpha, s0f, c0f);
            var b0 = CommitY(group, y, c0.Beta, s0f, c0f);
            var w = Zq.Random(q);
            var a1 = group.GeneratorPowerSecret(w);
            var b1 = group.PowerSecret(y, w);
            var h = Hashing.HashElements(FiatShamir.BlankProof(s), [a0, b0, a1, b1], q);
            var c1 = Zq.Reduce(h - c0f, q);
            blank = [new Proof(c0f, s0f), new Proof(c1, Zq.Reduce(w - (rSum * c1), q))];

            // overall proof: first case (m0 = 1) true; fake every range case.
            var total = BigInteger.Zero;
            for (var i = 1; i < count; i++)
            {
                var ch = Zq.Random(q);
                var re = Zq.Random(q);
                overall[i] = new Proof(ch, re);
                var shifted = group.Divide(cSum.Beta, group.GeneratorPower(min + i - 1));
                commitments[2 * i] = Commit(group, cSum.Alpha, re, ch);
                commitments[(2 * i) + 1] = CommitY(group, y, shifted, re, ch);
                total += ch;
            }
            var w2 = Zq.Random(q);
            commitments[0] = group.GeneratorPowerSecret(w2);
            commitments[1] = group.PowerSecret(y, w2);
            var h2 = Hashing.HashElements(FiatShamir.OverallBlankProof(s), commitments, q);
            var cTrue = Zq.Reduce(h2 - total, q);
            overall[0] = new Proof(cTrue, Zq.Reduce(w2 - (r0 * cTrue), q));
        }
        return (overall, blank);
    }
}
