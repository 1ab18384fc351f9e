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
    private Ballot(string raw, string electionUuid, string electionHash, Element credential, IReadOnlyList<Answer>? answers, BallotSignature? signature, Group? unread = null)
    {
        _raw = raw;
        ElectionUuid = electionUuid;
        ElectionHash = electionHash;
        Credential = credential;
        _answers = answers;
        _signature = signature;
        _unread = unread;
    }

    /// <summary>A verified ballot read from its UTF-8 bytes: the text is decoded only if asked for.</summary>
    private Ballot(byte[] utf8, string electionUuid, string electionHash, Element credential, Group unread)
    {
        _utf8 = utf8;
        ElectionUuid = electionUuid;
        ElectionHash = electionHash;
        Credential = credential;
        _unread = unread;
    }

    private IReadOnlyList<Answer>? _answers;
    private BallotSignature? _signature;
    private Group? _unread;
    private string? _raw;
    private readonly byte[]? _utf8;

    public string Raw => _raw ??= Encoding.UTF8.GetString(_utf8!);

    public string ElectionUuid { get; }

    public string ElectionHash { get; }

    public Element Credential { get; }

    public IReadOnlyList<Answer> Answers
    {
        get
        {
            ReadRest();
            return _answers!;
        }
    }

    public BallotSignature? Signature
    {
        get
        {
            ReadRest();
            return _signature;
        }
    }

    /// <summary>The answers and signature of a ballot read by <see cref="ParseVerified"/>, when first asked for.</summary>
    private void ReadRest()
    {
        if (_unread is { } group)
        {
            var full = Parse(Raw, group, checkMembership: false);
            _signature = full._signature;
            _answers = full._answers;
            _unread = null;
        }
    }

    private byte[]? _digest;

    /// <summary>SHA-256 of the ballot text, computed once (the tracking number and the file name both come from it).</summary>
    private byte[] Digest => _digest ??= Hashing.Sha256Utf8(Raw);

    /// <summary>The smart ballot tracker: SHA-256 of the ballot text, compact Base64.</summary>
    public string TrackingNumber => Hashing.CompactBase64(Digest);

    /// <summary>SHA-256 of the ballot text in hexadecimal (the name of its file on the board).</summary>
    public string HashHex => Convert.ToHexStringLower(Digest);

    /// <summary>The canonical serialisation, with or without the signature field.</summary>
    public static string Serialize(string electionUuid, string electionHash, Element credential, IReadOnlyList<Answer> answers, BallotSignature? signature) =>
        Write(new StringBuilder(4096), electionUuid, electionHash, credential, answers, signature).ToString();

    /// <summary>One builder per thread for the canonical-form check, which compares without making a string.</summary>
    [ThreadStatic]
    private static StringBuilder? _canonical;

    private static StringBuilder Write(StringBuilder sb, string electionUuid, string electionHash, Element credential, IReadOnlyList<Answer> answers, BallotSignature? signature)
    {
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
        return sb.Append('}');
    }

    /// <summary>
    /// The <c>hash</c> the signature covers: SHA-256 of the ballot without its signature, compact Base64. The text is
    /// canonical (checked when read, or made so), and the signature is its last field: the unsigned serialisation is the
    /// text up to that field, closed.
    /// </summary>
    public string ComputeSignedHash()
    {
        if (Signature is null)
        {
            return Hashing.Sha256Base64(Raw);
        }
        var at = Raw.LastIndexOf(",\"signature\":{", StringComparison.Ordinal);
        return Hashing.CompactBase64(Hashing.Sha256Utf8(Raw.AsSpan(0, at), "}"));
    }

    // The first fields of a canonical ballot, in order.
    private static ReadOnlySpan<byte> UuidField => "{\"election_uuid\":\""u8;

    private static ReadOnlySpan<byte> HashField => "\",\"election_hash\":\""u8;

    private static ReadOnlySpan<byte> CredentialField => "\",\"credential\":\""u8;

    private static ReadOnlySpan<byte> AnswersField => "\",\"answers\":["u8;

    /// <summary>
    /// Reads a ballot whose exact text this election already verified (its SHA-256 is in the memory of valid
    /// ballots), from its stored UTF-8 bytes: the election fields and the credential from the canonical text's first
    /// fields (the credential taken from <paramref name="listed"/>, already decoded, when it is there); the text, the
    /// answers and the signature only if asked for. A pass of the integrity monitor over a large board thus neither
    /// decodes every ballot to a string nor every credential to a point. Any other text is read in full.
    /// </summary>
    public static Ballot ParseVerified(byte[] utf8, Group group, PublicCredentials? listed = null)
    {
        var text = utf8.AsSpan();
        var hashAt = text.IndexOf(HashField);
        var credentialAt = hashAt < 0 ? -1 : After(text, CredentialField, hashAt);
        var answersAt = credentialAt < 0 ? -1 : After(text, AnswersField, credentialAt);
        var encoded = answersAt < 0 ? "" : Encoding.UTF8.GetString(text[(credentialAt + CredentialField.Length)..answersAt]);
        Element? credential = listed?.ByEncoding.GetValueOrDefault(encoded)?.Credential;
        if (!text.StartsWith(UuidField) || answersAt < 0 || (credential is null && !group.TryParse(encoded, checkMembership: false, out credential, out _)))
        {
            return Parse(Encoding.UTF8.GetString(utf8), group, checkMembership: false);
        }
        return new Ballot(utf8, Encoding.UTF8.GetString(text[UuidField.Length..hashAt]), Encoding.UTF8.GetString(text[(hashAt + HashField.Length)..credentialAt]), credential, group);

        static int After(ReadOnlySpan<byte> text, ReadOnlySpan<byte> field, int from) => text[from..].IndexOf(field) is >= 0 and var at ? from + at : -1;
    }

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
        // An Ed25519 ballot holds a dozen points: their square roots are computed together, eight at a time.
        using var ahead = group is Ed25519Group ? Ed25519Group.DecodeAhead(raw) : default;
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
        var canonical = _canonical ??= new StringBuilder(8192);
        canonical.Clear();
        var same = Write(canonical, uuid, hash, credential, answers, signature).Equals(raw.AsSpan());
        if (canonical.Capacity > 1 << 16)
        {
            _canonical = null;
        }
        if (!same)
        {
            throw new RecordFormatException("ballot: not in canonical form (Belenios compact JSON, fields in specification order)");
        }
        return new Ballot(raw, uuid, hash, credential, answers, signature);
    }
}
