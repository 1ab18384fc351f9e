using System.Numerics;

namespace Socle.Modules.Voting.Crypto;

/// <summary>
/// The Fiat–Shamir hash prefixes of the Belenios specification (version 1, as Belenios 2.x writes and checks them).
/// A challenge is SHA-256(prefix ‖ commitments joined by commas) read as a big-endian number, modulo q.
/// </summary>
public static class FiatShamir
{
    /// <summary>§Proofs of interval membership: prove|S|α,β|A0,B0,…</summary>
    public static string Interval(string s, Element alpha, Element beta) => $"prove|{s}|{alpha.Encoded},{beta.Encoded}|";

    /// <summary>§Proofs of possibly-blank votes, m0 = 0 ∨ mΣ = 0: bproof0|S|…</summary>
    public static string BlankProof(string s) => $"bproof0|{s}|";

    /// <summary>§Proofs of possibly-blank votes, m0 = 1 ∨ mΣ ∈ [min, max]: bproof1|S|…</summary>
    public static string OverallBlankProof(string s) => $"bproof1|{s}|";

    /// <summary>§Verification keys: pok|G|X|A.</summary>
    public static string KeyPossession(Group group, Element publicKey) => $"pok|{group.Name}|{publicKey.Encoded}|";

    /// <summary>§Signatures: sig|hash|A.</summary>
    public static string BallotSignature(string hash) => $"sig|{hash}|";

    /// <summary>§Partial decryptions: decrypt|φ|X|A,B.</summary>
    public static string Decryption(string fingerprint, Element trusteeKey) => $"decrypt|{fingerprint}|{trusteeKey.Encoded}|";

    /// <summary>§Public key infrastructure, signing: sigmsg|M|A.</summary>
    public static string SignedMessage(string message) => $"sigmsg|{message}|";

    /// <summary>S0 = φ|g^s: the statement prefix binding every proof of a ballot to the election and the credential.</summary>
    public static string BallotStatement(string fingerprint, Element credential) => $"{fingerprint}|{credential.Encoded}";

    /// <summary>S = S0|α1,β1,α2,β2,…: the statement of an answer's overall and blank proofs.</summary>
    public static string AnswerStatement(string s0, IEnumerable<Records.Ciphertext> choices) =>
        s0 + "|" + string.Join(",", choices.Select(c => $"{c.Alpha.Encoded},{c.Beta.Encoded}"));

    /// <summary>A Schnorr proof of knowledge of x with X = g^x, bound to <paramref name="prefix"/> (fs_prove with one base).</summary>
    public static Records.Proof ProveKnowledge(Group group, BigInteger x, string prefix)
    {
        var q = group.Order;
        var w = Zq.Random(q);
        var commitment = group.GeneratorPowerSecret(w);
        var challenge = Hashing.HashElements(prefix, [commitment], q);
        return new Records.Proof(challenge, Zq.Reduce(w - (x * challenge), q));
    }

    /// <summary>Checks a proof made by <see cref="ProveKnowledge"/>: A = g^response·X^challenge, challenge = H(prefix, A).</summary>
    public static bool VerifyKnowledge(Group group, Element publicKey, Records.Proof proof, string prefix)
    {
        var a = group.Multiply(group.Power(group.Generator, proof.Response), group.Power(publicKey, proof.Challenge));
        return Hashing.HashElements(prefix, [a], group.Order) == proof.Challenge;
    }
}
