using System.Numerics;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;

namespace Socle.Modules.Voting.Elections;

/// <summary>A ballot that counts: its answers' ciphertexts and its weight.</summary>
public sealed record CountedBallot(Ballot Ballot, BigInteger Weight);

/// <summary>
/// The tally (specification §Encrypted tally, §Partial decryptions, §Election result): the homomorphic product of the
/// counted ballots raised to their weights, the trustees' decryption factors with their proofs, the combination of
/// factors (Lagrange interpolation for threshold groups), and the discrete logarithms that give the counts.
/// </summary>
public static class Tallying
{
    /// <summary>last(B): for each credential, only its last ballot, in board order of those last ballots.</summary>
    public static IReadOnlyList<T> LastPerCredential<T>(IReadOnlyList<T> ballots, Func<T, string> credential)
    {
        var last = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ballots.Count; i++)
        {
            last[credential(ballots[i])] = i;
        }
        return ballots.Where((b, i) => last[credential(b)] == i).ToList();
    }

    /// <summary>C_ij = Π_k choices(answers(b_k)_i)_j ^ weight(b_k).</summary>
    public static EncryptedTally EncryptedTally(ElectionRecord election, IReadOnlyList<CountedBallot> ballots)
    {
        var group = election.Group;
        var questions = election.Questions;
        var tally = questions.Select(q => Enumerable.Range(0, q.Slots).Select(_ => Ciphertext.Neutral(group)).ToArray()).ToArray();
        // Partition the work over cores: each worker multiplies a slice, then the partial products are combined.
        var workers = Math.Max(1, Math.Min(Environment.ProcessorCount, ballots.Count / 256));
        var partials = new Ciphertext[workers][][];
        Parallel.For(0, workers, w =>
        {
            var local = questions.Select(q => Enumerable.Range(0, q.Slots).Select(_ => Ciphertext.Neutral(group)).ToArray()).ToArray();
            for (var k = w; k < ballots.Count; k += workers)
            {
                var (ballot, weight) = (ballots[k].Ballot, ballots[k].Weight);
                for (var i = 0; i < questions.Count; i++)
                {
                    var choices = ballot.Answers[i].Choices;
                    for (var j = 0; j < choices.Count; j++)
                    {
                        var c = weight.IsOne ? choices[j] : choices[j].Power(group, weight);
                        local[i][j] = local[i][j].Multiply(group, c);
                    }
                }
            }
            partials[w] = local;
        });
        foreach (var local in partials)
        {
            for (var i = 0; i < tally.Length; i++)
            {
                for (var j = 0; j < tally[i].Length; j++)
                {
                    tally[i][j] = tally[i][j].Multiply(group, local[i][j]);
                }
            }
        }
        return new EncryptedTally(tally);
    }

    public static bool SameTally(Group group, EncryptedTally a, EncryptedTally b) =>
        a.Questions.Count == b.Questions.Count
        && a.Questions.Zip(b.Questions).All(q => q.First.Count == q.Second.Count
            && q.First.Zip(q.Second).All(c => group.AreEqual(c.First.Alpha, c.Second.Alpha) && group.AreEqual(c.First.Beta, c.Second.Beta)));

    /// <summary>A trustee's partial decryption with private key x: factors α^x and a proof for each (constant time in x).</summary>
    public static PartialDecryption Decrypt(ElectionRecord election, EncryptedTally tally, BigInteger x)
    {
        var group = election.Group;
        var q = group.Order;
        var publicKey = group.GeneratorPowerSecret(x);
        var prefix = FiatShamir.Decryption(election.Fingerprint, publicKey);
        var factors = new IReadOnlyList<Element>[tally.Questions.Count];
        var proofs = new IReadOnlyList<Proof>[tally.Questions.Count];
        for (var i = 0; i < tally.Questions.Count; i++)
        {
            var row = tally.Questions[i];
            var f = new Element[row.Count];
            var p = new Proof[row.Count];
            Parallel.For(0, row.Count, j =>
            {
                var alpha = row[j].Alpha;
                f[j] = group.PowerSecret(alpha, x);
                var w = Zq.Random(q);
                var a = group.GeneratorPowerSecret(w);
                var b = group.PowerSecret(alpha, w);
                var challenge = Hashing.HashElements(prefix, [a, b], q);
                p[j] = new Proof(challenge, Zq.Reduce(w - (x * challenge), q));
            });
            factors[i] = f;
            proofs[i] = p;
        }
        return new PartialDecryption(factors, proofs);
    }

    /// <summary>Null when the partial decryption of trustee key X is valid for the tally, otherwise the reason.</summary>
    public static string? CheckPartialDecryption(ElectionRecord election, EncryptedTally tally, Element trusteeKey, PartialDecryption pd)
    {
        var group = election.Group;
        if (pd.Factors.Count != tally.Questions.Count || pd.Proofs.Count != tally.Questions.Count)
        {
            return "it does not have one row of factors and proofs per question";
        }
        var batch = new CommitmentBatch();
        var prefix = FiatShamir.Decryption(election.Fingerprint, trusteeKey);
        var key = batch.AddBase(trusteeKey, checkMembership: false);
        var expected = new List<(int Product, BigInteger Challenge, string Where)>();
        for (var i = 0; i < tally.Questions.Count; i++)
        {
            var row = tally.Questions[i];
            if (pd.Factors[i].Count != row.Count || pd.Proofs[i].Count != row.Count)
            {
                return $"question {i + 1}: {row.Count} factors and proofs expected";
            }
            for (var j = 0; j < row.Count; j++)
            {
                var alpha = batch.AddBase(row[j].Alpha, checkMembership: false);
                var factor = batch.AddBase(pd.Factors[i][j], checkMembership: false);
                var proof = pd.Proofs[i][j];
                // A = g^response·X^challenge, B = α^response·f^challenge
                var a = batch.AddProduct(new Term(CommitmentBatch.G, proof.Response), new Term(key, proof.Challenge));
                batch.AddProduct(new Term(alpha, proof.Response), new Term(factor, proof.Challenge));
                expected.Add((a, proof.Challenge, $"question {i + 1}, answer slot {j + 1}"));
            }
        }
        var encodings = new string[batch.ProductCount];
        if (!group.CreateEvaluator(election.PublicKey).Evaluate(batch, encodings, out _))
        {
            return "an element is not in the group";
        }
        foreach (var (product, challenge, where) in expected)
        {
            if (Hashing.HashElements(prefix, [encodings[product], encodings[product + 1]], group.Order) != challenge)
            {
                return $"{where}: the decryption proof does not verify";
            }
        }
        return null;
    }

    /// <summary>λ_δ = Π_{k ∈ I \ {δ}} k / (k − δ) mod q.</summary>
    public static BigInteger Lagrange(IReadOnlyList<int> indexes, int delta, BigInteger q)
    {
        var result = BigInteger.One;
        foreach (var k in indexes)
        {
            if (k == delta)
            {
                continue;
            }
            var inverse = BigInteger.ModPow(Zq.Reduce(k - delta, q), q - 2, q);
            result = Zq.Reduce(result * k * inverse, q);
        }
        return result;
    }

    /// <summary>
    /// Combines valid partial decryptions (by owner, 1-based) into the synthetic factors F_ij = Π_τ F_ij,τ: a Single
    /// trustee's factors as they are, a Pedersen group's from its first t+1 partial decryptions by Lagrange interpolation.
    /// </summary>
    public static Outcome<IReadOnlyList<IReadOnlyList<Element>>> CombineFactors(ElectionRecord election, TrusteesRecord trustees,
        IReadOnlyDictionary<int, PartialDecryption> byOwner, EncryptedTally tally)
    {
        var group = election.Group;
        var combined = tally.Questions.Select(r => r.Select(_ => group.Identity).ToArray()).ToArray();
        var owner = 1;
        foreach (var item in trustees.Items)
        {
            switch (item)
            {
                case TrusteeKind.Single:
                    if (!byOwner.TryGetValue(owner, out var pd))
                    {
                        return Outcome<IReadOnlyList<IReadOnlyList<Element>>>.Fail($"the partial decryption of trustee {owner} (a mandatory single key) is missing");
                    }
                    Multiply(group, combined, pd, BigInteger.One);
                    owner++;
                    break;
                case TrusteeKind.Pedersen p:
                    var n = p.Parameters.VerificationKeys.Count;
                    var present = Enumerable.Range(1, n).Where(k => byOwner.ContainsKey(owner + k - 1)).Take(p.Parameters.Threshold).ToList();
                    if (present.Count < p.Parameters.Threshold)
                    {
                        return Outcome<IReadOnlyList<IReadOnlyList<Element>>>.Fail(
                            $"the threshold group of trustees {owner}–{owner + n - 1} needs {p.Parameters.Threshold} partial decryptions, {present.Count} are present");
                    }
                    foreach (var k in present)
                    {
                        Multiply(group, combined, byOwner[owner + k - 1], Lagrange(present, k, group.Order));
                    }
                    owner += n;
                    break;
            }
        }
        return Outcome<IReadOnlyList<IReadOnlyList<Element>>>.Ok(combined);
    }

    private static void Multiply(Group group, Element[][] combined, PartialDecryption pd, BigInteger exponent)
    {
        for (var i = 0; i < combined.Length; i++)
        {
            for (var j = 0; j < combined[i].Length; j++)
            {
                var f = exponent.IsOne ? pd.Factors[i][j] : group.Power(pd.Factors[i][j], exponent);
                combined[i][j] = group.Multiply(combined[i][j], f);
            }
        }
    }

    /// <summary>result_ij = log_g(β_ij / F_ij), each at most the total weight (baby-step giant-step).</summary>
    public static Outcome<ElectionResult> ComputeResult(ElectionRecord election, EncryptedTally tally, IReadOnlyList<IReadOnlyList<Element>> factors, BigInteger totalWeight)
    {
        var group = election.Group;
        var log = new DiscreteLog(group, totalWeight);
        var counts = new List<IReadOnlyList<BigInteger>>();
        for (var i = 0; i < tally.Questions.Count; i++)
        {
            var row = new List<BigInteger>();
            for (var j = 0; j < tally.Questions[i].Count; j++)
            {
                var m = group.Divide(tally.Questions[i][j].Beta, factors[i][j]);
                if (log.Find(m) is not { } value)
                {
                    return Outcome<ElectionResult>.Fail($"question {i + 1}, slot {j + 1}: the decrypted value is not a count between 0 and the total weight {totalWeight}");
                }
                row.Add(value);
            }
            counts.Add(row);
        }
        return Outcome<ElectionResult>.Ok(new ElectionResult(counts));
    }
}

/// <summary>A value or a reason, for the election operations (converted to <see cref="Socle.Platform.Error"/> at the edges).</summary>
public readonly record struct Outcome<T>(T? Value, string? Problem)
{
    public bool IsSuccess => Problem is null;

    public static Outcome<T> Ok(T value) => new(value, null);

    public static Outcome<T> Fail(string problem) => new(default, problem);
}

/// <summary>Discrete logarithms base g in [0, max] by baby-step giant-step: about 2·√max group operations.</summary>
public sealed class DiscreteLog
{
    private readonly Group _group;
    private readonly Dictionary<string, long> _baby = new(StringComparer.Ordinal);
    private readonly Element _giant;
    private readonly long _m;
    private readonly BigInteger _max;

    public DiscreteLog(Group group, BigInteger max)
    {
        _group = group;
        _max = max;
        _m = (long)Math.Sqrt((double)max) + 1;
        var current = group.Identity;
        for (long j = 0; j < _m; j++)
        {
            _baby.TryAdd(group.Key(current), j);
            current = group.Multiply(current, group.Generator);
        }
        _giant = group.Invert(current); // g^(−m)
    }

    public BigInteger? Find(Element target)
    {
        var gamma = target;
        for (long i = 0; i <= _m; i++)
        {
            if (_baby.TryGetValue(_group.Key(gamma), out var j))
            {
                var x = (i * _m) + j;
                return x <= _max ? x : null;
            }
            gamma = _group.Multiply(gamma, _giant);
        }
        return null;
    }
}
