using System.Text;
using System.Text.Json;
using Socle.Modules.Voting.Crypto;

namespace Socle.Modules.Voting.Records;

/// <summary>An encrypted answer to a homomorphic question (specification §Encrypted answers).</summary>
public sealed record Answer(
    IReadOnlyList<Ciphertext> Choices,
    IReadOnlyList<IReadOnlyList<Proof>> IndividualProofs,
    IReadOnlyList<Proof> OverallProof,
    IReadOnlyList<Proof>? BlankProof)
{
    public void Write(StringBuilder sb)
    {
        sb.Append("{\"choices\":[");
        for (var i = 0; i < Choices.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            Choices[i].Write(sb);
        }
        sb.Append("],\"individual_proofs\":[");
        for (var i = 0; i < IndividualProofs.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            Proof.WriteArray(sb, IndividualProofs[i]);
        }
        sb.Append("],\"overall_proof\":");
        Proof.WriteArray(sb, OverallProof);
        if (BlankProof is not null)
        {
            sb.Append(",\"blank_proof\":");
            Proof.WriteArray(sb, BlankProof);
        }
        sb.Append('}');
    }

    public static Answer Read(JsonElement e, string path, Group group, bool checkMembership)
    {
        var q = group.Order;
        var choices = e.Get("choices", path).Array(path + ".choices", (x, p) => Ciphertext.Read(x, p, group, checkMembership), Question.MaxAnswers + 1);
        var individual = e.Get("individual_proofs", path).Array(path + ".individual_proofs",
            (x, p) => (IReadOnlyList<Proof>)x.Array(p, (y, pp) => Proof.Read(y, pp, q), 2), Question.MaxAnswers + 1);
        var overall = e.Get("overall_proof", path).Array(path + ".overall_proof", (x, p) => Proof.Read(x, p, q), Question.MaxAnswers + 2);
        var blank = e.GetOptional("blank_proof") is { } b ? b.Array(path + ".blank_proof", (x, p) => Proof.Read(x, p, q), 2) : null;
        return new Answer(choices, individual, overall, blank);
    }
}

/// <summary>The ballot's Schnorr signature with the voter's credential (specification §Signatures).</summary>
public sealed record BallotSignature(string Hash, Proof Proof);

/// <summary>
/// A ballot (specification §Ballots): election uuid and fingerprint, public credential, encrypted answers, signature.
/// Kept with the exact text it was received in; a ballot is accepted only when that text is its canonical
/// serialisation (as Belenios requires), so the tracking number — SHA-256 of the text in compact Base64 — is
/// well defined.
/// </summary>
public sealed class Ballot
{
    private Ballot(string raw, string electionUuid, string electionHash, Element credential, IReadOnlyList<Answer> answers, BallotSignature? signature)
    {
        Raw = raw;
        ElectionUuid = electionUuid;
        ElectionHash = electionHash;
        Credential = credential;
        Answers = answers;
        Signature = signature;
    }

    public string Raw { get; }

    public string ElectionUuid { get; }

    public string ElectionHash { get; }

    public Element Credential { get; }

    public IReadOnlyList<Answer> Answers { get; }

    public BallotSignature? Signature { get; }

    private byte[]? _digest;

    /// <summary>SHA-256 of the ballot text, computed once (the tracking number and the file name both come from it).</summary>
    private byte[] Digest => _digest ??= System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Raw));

    /// <summary>The smart ballot tracker: SHA-256 of the ballot text, compact Base64.</summary>
    public string TrackingNumber => Convert.ToBase64String(Digest).TrimEnd('=');

    /// <summary>SHA-256 of the ballot text in hexadecimal (the name of its file on the board).</summary>
    public string HashHex => Convert.ToHexStringLower(Digest);

    /// <summary>The canonical serialisation, with or without the signature field.</summary>
    public static string Serialize(string electionUuid, string electionHash, Element credential, IReadOnlyList<Answer> answers, BallotSignature? signature)
    {
        var sb = new StringBuilder(4096);
        sb.Append('{').Field("election_uuid", electionUuid, first: true).Field("election_hash", electionHash).Field("credential", credential.Encoded)
            .Append(",\"answers\":[");
        for (var i = 0; i < answers.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            answers[i].Write(sb);
        }
        sb.Append(']');
        if (signature is not null)
        {
            sb.Append(",\"signature\":{").Field("hash", signature.Hash, first: true).Append(",\"proof\":");
            signature.Proof.Write(sb);
            sb.Append('}');
        }
        return sb.Append('}').ToString();
    }

    /// <summary>The <c>hash</c> the signature covers: SHA-256 of the ballot without its signature, compact Base64.</summary>
    public string ComputeSignedHash() => Hashing.Sha256Base64(Serialize(ElectionUuid, ElectionHash, Credential, Answers, null));

    public static Ballot Create(string electionUuid, string electionHash, Element credential, IReadOnlyList<Answer> answers, BallotSignature signature) =>
        new(Serialize(electionUuid, electionHash, credential, answers, signature), electionUuid, electionHash, credential, answers, signature);

    /// <summary>
    /// Reads a ballot for an election. Elements are checked for canonical encoding; group membership too unless the
    /// caller checks it in bulk (<paramref name="checkMembership"/> false). Throws <see cref="RecordFormatException"/>.
    /// </summary>
    public static Ballot Parse(string raw, Group group, bool checkMembership = true)
    {
        if (raw.Length > 4_000_000)
        {
            throw new RecordFormatException("ballot: larger than 4 MB");
        }
        using var doc = Json.ParseDocument(raw, "ballot");
        var root = doc.RootElement;
        const string P = "ballot";
        var uuid = root.Get("election_uuid", P).String(P + ".election_uuid");
        var hash = root.Get("election_hash", P).String(P + ".election_hash");
        var credential = root.Get("credential", P).Element(P + ".credential", group, checkMembership);
        var answers = root.Get("answers", P).Array(P + ".answers", (x, p) => Answer.Read(x, p, group, checkMembership), 100);
        BallotSignature? signature = null;
        if (root.GetOptional("signature") is { } s)
        {
            signature = new BallotSignature(s.Get("hash", P + ".signature").String(P + ".signature.hash"),
                Proof.Read(s.Get("proof", P + ".signature"), P + ".signature.proof", group.Order));
        }
        var canonical = Serialize(uuid, hash, credential, answers, signature);
        if (!string.Equals(canonical, raw, StringComparison.Ordinal))
        {
            throw new RecordFormatException("ballot: not in canonical form (Belenios compact JSON, fields in specification order)");
        }
        return new Ballot(raw, uuid, hash, credential, answers, signature);
    }
}
