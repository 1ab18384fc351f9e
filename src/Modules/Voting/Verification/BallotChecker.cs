using System.Numerics;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;

namespace Socle.Modules.Voting.Verification;

/// <summary>
/// Checks one ballot's signature and proofs against an election (the verification side of §Encrypted answers,
/// §Proofs of interval membership, §Proofs of possibly-blank votes and §Signatures). Every commitment the proofs imply
/// is gathered into one <see cref="CommitmentBatch"/> so that the group evaluates them together; then each
/// Fiat–Shamir equation "hash = Σ challenges" is checked. Not thread-safe: one per worker.
/// </summary>
internal sealed class BallotChecker(ElectionRecord election)
{
    public const string WrongElection = "ballot_wrong_election";
    public const string Malformed = "ballot_malformed";
    public const string ProofInvalid = "ballot_proof_invalid";
    public const string SignatureInvalid = "ballot_signature_invalid";
    public const string NotInGroup = "ballot_element_invalid";

    private readonly Group _group = election.Group;
    private readonly BigInteger _q = election.Group.Order;
    private readonly ICommitmentEvaluator _evaluator = election.Group.CreateEvaluator(election.PublicKey);
    private CommitmentBatch _batch = new();
    private List<Statement> _statements = [];

    internal sealed record Statement(string Prefix, int FirstProduct, int ProductCount, BigInteger ChallengeSum, string What);

    /// <summary>A ballot whose commitments are gathered, waiting for them to be evaluated (alone or with seven others).</summary>
    internal sealed class Prepared(CommitmentBatch batch, List<Statement> statements, bool signatureCoversBallot)
    {
        public CommitmentBatch Batch { get; } = batch;

        public List<Statement> Statements { get; } = statements;

        public bool SignatureCoversBallot { get; } = signatureCoversBallot;

        public string[] Encodings { get; } = new string[batch.ProductCount];

        /// <summary>The variable base outside the group, or −1.</summary>
        public int FailedBase { get; set; } = -1;
    }

    /// <summary>Null when the ballot is valid, otherwise the reason with its code.</summary>
    public BallotProblem? Check(Ballot ballot)
    {
        var prepared = Prepare(ballot, out var problem);
        if (prepared is null)
        {
            return problem;
        }
        return Finish(prepared);
    }

    /// <summary>Evaluates a prepared ballot's commitments alone (the scalar engine) and concludes.</summary>
    public BallotProblem? Finish(Prepared prepared)
    {
        _evaluator.Evaluate(prepared.Batch, prepared.Encodings, out var failed);
        prepared.FailedBase = failed;
        return Conclude(prepared);
    }

    /// <summary>The structural checks, then the commitments and equations of every proof and of the signature.</summary>
    public Prepared? Prepare(Ballot ballot, out BallotProblem? problem)
    {
        problem = null;
        if (ballot.ElectionUuid != election.Uuid)
        {
            problem = new(WrongElection, $"the ballot is for election {ballot.ElectionUuid}, not {election.Uuid}");
            return null;
        }
        if (ballot.ElectionHash != election.Fingerprint)
        {
            problem = new(WrongElection, "the ballot's election fingerprint does not match the election");
            return null;
        }
        if (ballot.Signature is null)
        {
            problem = new(SignatureInvalid, "the ballot is not signed");
            return null;
        }
        if (ballot.Answers.Count != election.Questions.Count)
        {
            problem = new(Malformed, $"the ballot answers {ballot.Answers.Count} question(s), the election has {election.Questions.Count}");
            return null;
        }
        // A changed ballot usually fails both its proofs and its signature: check everything, report the proofs first.
        var signatureCoversBallot = ballot.Signature.Hash == ballot.ComputeSignedHash();

        _batch = new CommitmentBatch();
        _statements = [];
        var credential = _batch.AddBase(ballot.Credential, checkMembership: true);

        var s0 = FiatShamir.BallotStatement(election.Fingerprint, ballot.Credential);
        for (var i = 0; i < ballot.Answers.Count; i++)
        {
            if (AddAnswer(election.Questions[i], ballot.Answers[i], s0, i) is { } reason)
            {
                problem = new(Malformed, reason);
                return null;
            }
        }

        // Signature: A = g^response · credential^challenge; challenge = H(sig|hash|, A).
        var sig = ballot.Signature.Proof;
        AddStatement(FiatShamir.BallotSignature(ballot.Signature.Hash), sig.Challenge, "the signature",
            _batch.AddProduct(new Term(CommitmentBatch.G, sig.Response), new Term(credential, sig.Challenge)));
        return new Prepared(_batch, _statements, signatureCoversBallot);
    }

    /// <summary>Checks every Fiat–Shamir equation with the evaluated commitments.</summary>
    public BallotProblem? Conclude(Prepared prepared)
    {
        if (prepared.FailedBase >= 0)
        {
            return new(NotInGroup, prepared.FailedBase == 0
                ? "the credential is not an element of the group"
                : "a ciphertext is not made of group elements");
        }
        const string Another = "the signature covers another ballot (its hash does not match the ballot)";
        foreach (var st in prepared.Statements)
        {
            var h = Hashing.HashElements(st.Prefix, new ArraySegment<string>(prepared.Encodings, st.FirstProduct, st.ProductCount), _q);
            if (h != st.ChallengeSum)
            {
                var code = st.What == "the signature" ? SignatureInvalid : ProofInvalid;
                return new(code, prepared.SignatureCoversBallot || code == SignatureInvalid ? $"{st.What} does not verify" : $"{st.What} does not verify, and {Another}");
            }
        }
        return prepared.SignatureCoversBallot ? null : new(SignatureInvalid, Another);
    }

    private void AddStatement(string prefix, BigInteger challengeSum, string what, int firstProduct, int productCount = 1) =>
        _statements.Add(new Statement(prefix, firstProduct, productCount, Zq.Reduce(challengeSum, _q), what));

    private string? AddAnswer(Question question, Answer answer, string s0, int index)
    {
        var label = $"question {index + 1}";
        var n = answer.Choices.Count;
        if (n != question.Slots)
        {
            return $"{label}: {n} encrypted values, {question.Slots} expected";
        }
        if (answer.IndividualProofs.Count != n)
        {
            return $"{label}: {answer.IndividualProofs.Count} individual proofs for {n} values";
        }
        var alphas = new int[n];
        var betas = new int[n];
        for (var j = 0; j < n; j++)
        {
            var c = answer.Choices[j];
            alphas[j] = _batch.AddBase(c.Alpha, checkMembership: true);
            betas[j] = _batch.AddBase(c.Beta, checkMembership: true);
            var proofs = answer.IndividualProofs[j];
            if (proofs.Count != 2)
            {
                return $"{label}, value {j + 1}: the 0/1 proof must have 2 parts";
            }
            var first = AddDisjunct(alphas[j], betas[j], proofs[0], 0);
            AddDisjunct(alphas[j], betas[j], proofs[1], 1);
            AddStatement(FiatShamir.Interval(s0, c.Alpha, c.Beta), proofs[0].Challenge + proofs[1].Challenge,
                $"{label}, value {j + 1}: the proof that it is 0 or 1", first, 4);
        }
        var s = FiatShamir.AnswerStatement(s0, answer.Choices);
        if (question.AllowsBlank)
        {
            if (answer.BlankProof is not { Count: 2 } blank)
            {
                return $"{label}: the blank proof is missing or malformed";
            }
            var sum = Ciphertext.Neutral(_group);
            for (var j = 1; j < n; j++)
            {
                sum = sum.Multiply(_group, answer.Choices[j]);
            }
            var sumAlpha = _batch.AddBase(sum.Alpha, checkMembership: false);
            var sumBeta = _batch.AddBase(sum.Beta, checkMembership: false);

            // blank_proof: m0 = 0 ∨ mΣ = 0
            var b = AddDisjunct(alphas[0], betas[0], blank[0], 0);
            AddDisjunct(sumAlpha, sumBeta, blank[1], 0);
            AddStatement(FiatShamir.BlankProof(s), blank[0].Challenge + blank[1].Challenge, $"{label}: the blank proof", b, 4);

            // overall_proof: m0 = 1 ∨ mΣ ∈ [min, max]
            var count = question.Max - question.Min + 2;
            if (answer.OverallProof.Count != count)
            {
                return $"{label}: the overall proof has {answer.OverallProof.Count} parts, {count} expected";
            }
            var o = AddDisjunct(alphas[0], betas[0], answer.OverallProof[0], 1);
            var total = answer.OverallProof[0].Challenge;
            for (var i = 1; i < count; i++)
            {
                AddDisjunct(sumAlpha, sumBeta, answer.OverallProof[i], question.Min + i - 1);
                total += answer.OverallProof[i].Challenge;
            }
            AddStatement(FiatShamir.OverallBlankProof(s), total, $"{label}: the overall proof (blank or between min and max)", o, 2 * count);
        }
        else
        {
            if (answer.BlankProof is not null)
            {
                return $"{label}: a blank proof is given but the question does not allow blank votes";
            }
            var sum = Ciphertext.Neutral(_group);
            for (var j = 0; j < n; j++)
            {
                sum = sum.Multiply(_group, answer.Choices[j]);
            }
            var sumAlpha = _batch.AddBase(sum.Alpha, checkMembership: false);
            var sumBeta = _batch.AddBase(sum.Beta, checkMembership: false);
            var count = question.Max - question.Min + 1;
            if (answer.OverallProof.Count != count)
            {
                return $"{label}: the overall proof has {answer.OverallProof.Count} parts, {count} expected";
            }
            var o = -1;
            var total = BigInteger.Zero;
            for (var i = 0; i < count; i++)
            {
                var p = AddDisjunct(sumAlpha, sumBeta, answer.OverallProof[i], question.Min + i);
                o = o < 0 ? p : o;
                total += answer.OverallProof[i].Challenge;
            }
            AddStatement(FiatShamir.Interval(s, sum.Alpha, sum.Beta), total, $"{label}: the overall proof (between min and max)", o, 2 * count);
        }
        return null;
    }

    /// <summary>
    /// The two commitments of one disjunct "(α, β) encrypts M": A = g^r·α^c and B = y^r·(β/g^M)^c = y^r·β^c·g^(−M·c).
    /// Returns the index of A (B follows).
    /// </summary>
    private int AddDisjunct(int alpha, int beta, Proof proof, int m)
    {
        var a = _batch.AddProduct(new Term(CommitmentBatch.G, proof.Response), new Term(alpha, proof.Challenge));
        if (m == 0)
        {
            _batch.AddProduct(new Term(CommitmentBatch.Y, proof.Response), new Term(beta, proof.Challenge));
        }
        else
        {
            _batch.AddProduct(new Term(CommitmentBatch.Y, proof.Response), new Term(beta, proof.Challenge),
                new Term(CommitmentBatch.G, Zq.Reduce(-m * proof.Challenge, _q)));
        }
        return a;
    }
}

/// <summary>Why a ballot is refused: a stable code and a message naming the question, value or proof.</summary>
public sealed record BallotProblem(string Code, string Message)
{
    public override string ToString() => Message;
}
