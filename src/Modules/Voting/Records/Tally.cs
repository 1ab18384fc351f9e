using System.Numerics;
using System.Text;
using Socle.Modules.Voting.Crypto;

namespace Socle.Modules.Voting.Records;

/// <summary>The encrypted tally: per question, one ciphertext per slot (specification §Encrypted tally).</summary>
public sealed record EncryptedTally(IReadOnlyList<IReadOnlyList<Ciphertext>> Questions)
{
    public string ToJson() => Nested.Write(Questions, (sb, c) => c.Write(sb));

    public static EncryptedTally Parse(string json, Group group)
    {
        using var doc = Json.ParseDocument(json, "encrypted_tally");
        return new EncryptedTally(doc.RootElement.Array("encrypted_tally",
            (x, p) => (IReadOnlyList<Ciphertext>)x.Array(p, (y, pp) => Ciphertext.Read(y, pp, group), Question.MaxAnswers + 1), 100));
    }
}

/// <summary>The payload of the EncryptedTally event: number of ballots counted, their total weight, the tally's hash.</summary>
public sealed record SizedEncryptedTally(int NumTallied, BigInteger TotalWeight, string EncryptedTallyHash)
{
    public string ToJson() =>
        new StringBuilder().Append('{').IntField("num_tallied", NumTallied, first: true).RawField("total_weight", Weights.ToJson(TotalWeight))
            .Field("encrypted_tally", EncryptedTallyHash).Append('}').ToString();

    public static SizedEncryptedTally Parse(string json)
    {
        using var doc = Json.ParseDocument(json, "sized_encrypted_tally");
        var r = doc.RootElement;
        const string P = "sized_encrypted_tally";
        var hash = r.Get("encrypted_tally", P).String(P + ".encrypted_tally");
        return Hashing.IsHexHash(hash)
            ? new SizedEncryptedTally(r.Get("num_tallied", P).Int(P + ".num_tallied"), r.Get("total_weight", P).Weight(P + ".total_weight"), hash)
            : throw new RecordFormatException($"{P}.encrypted_tally: not a hexadecimal SHA-256");
    }
}

/// <summary>A trustee's partial decryption of the tally: α^x for each ciphertext, with proofs (specification §Partial decryptions).</summary>
public sealed record PartialDecryption(IReadOnlyList<IReadOnlyList<Element>> Factors, IReadOnlyList<IReadOnlyList<Proof>> Proofs)
{
    public string ToJson() =>
        "{\"decryption_factors\":" + Nested.Write(Factors, (sb, e) => sb.Append('"').Append(e.Encoded).Append('"'))
        + ",\"decryption_proofs\":" + Nested.Write(Proofs, (sb, p) => p.Write(sb)) + "}";

    public static PartialDecryption Parse(string json, Group group)
    {
        using var doc = Json.ParseDocument(json, "partial_decryption");
        var r = doc.RootElement;
        const string P = "partial_decryption";
        return new PartialDecryption(
            r.Get("decryption_factors", P).Array(P + ".decryption_factors",
                (x, p) => (IReadOnlyList<Element>)x.Array(p, (y, pp) => y.Element(pp, group), Question.MaxAnswers + 1), 100),
            r.Get("decryption_proofs", P).Array(P + ".decryption_proofs",
                (x, p) => (IReadOnlyList<Proof>)x.Array(p, (y, pp) => Proof.Read(y, pp, group.Order), Question.MaxAnswers + 1), 100));
    }
}

/// <summary>The <c>owned</c> wrapper linking a partial decryption (or shuffle) to its trustee: {owner, payload}.</summary>
public sealed record Owned(int Owner, string PayloadHash)
{
    public string ToJson() => new StringBuilder().Append('{').IntField("owner", Owner, first: true).Field("payload", PayloadHash).Append('}').ToString();

    public static Owned Parse(string json)
    {
        using var doc = Json.ParseDocument(json, "owned");
        var r = doc.RootElement;
        var payload = r.Get("payload", "owned").String("owned.payload");
        return Hashing.IsHexHash(payload)
            ? new Owned(r.Get("owner", "owned").Int("owned.owner"), payload)
            : throw new RecordFormatException("owned.payload: not a hexadecimal SHA-256");
    }
}

/// <summary>The election result: per question, the (weighted) count of each slot, blank first when allowed.</summary>
public sealed record ElectionResult(IReadOnlyList<IReadOnlyList<BigInteger>> Counts)
{
    public string ToJson() => "{\"result\":" + Nested.Write(Counts, (sb, n) => sb.Append(Weights.ToJson(n))) + "}";

    public static ElectionResult Parse(string json)
    {
        using var doc = Json.ParseDocument(json, "result");
        return new ElectionResult(doc.RootElement.Get("result", "result").Array("result.result",
            (x, p) => (IReadOnlyList<BigInteger>)x.Array(p, (y, pp) => y.Weight(pp), Question.MaxAnswers + 1), 100));
    }

    public bool SameAs(ElectionResult other) =>
        Counts.Count == other.Counts.Count && Counts.Zip(other.Counts).All(p => p.First.SequenceEqual(p.Second));
}

/// <summary>The payload of the Setup event: hashes of the election, trustees and public credentials.</summary>
public sealed record SetupData(string Election, string Trustees, string Credentials)
{
    public string ToJson() =>
        new StringBuilder().Append('{').Field("election", Election, first: true).Field("trustees", Trustees).Field("credentials", Credentials).Append('}').ToString();

    public static SetupData Parse(string json)
    {
        using var doc = Json.ParseDocument(json, "setup_data");
        var r = doc.RootElement;
        var d = new SetupData(r.Get("election", "setup_data").String("setup_data.election"),
            r.Get("trustees", "setup_data").String("setup_data.trustees"),
            r.Get("credentials", "setup_data").String("setup_data.credentials"));
        return Hashing.IsHexHash(d.Election) && Hashing.IsHexHash(d.Trustees) && Hashing.IsHexHash(d.Credentials)
            ? d
            : throw new RecordFormatException("setup_data: hashes must be hexadecimal SHA-256");
    }
}

/// <summary>One entry of the public credentials list: the credential g^s, its weight, and (outside the board) the voter id.</summary>
public sealed record PublicCredential(Element Credential, BigInteger? Weight, string? VoterId)
{
    public BigInteger EffectiveWeight => Weight ?? BigInteger.One;

    /// <summary>Board form: "cred" or "cred,weight".</summary>
    public string ToBoardString() => Weight is { } w ? $"{Credential.Encoded},{w}" : Credential.Encoded;

    /// <summary>With the voter id: "cred,,id" or "cred,weight,id" (Belenios' public_with_ids).</summary>
    public string ToStringWithId() => $"{Credential.Encoded},{(Weight is { } w ? w.ToString() : "")},{VoterId}";

    public static PublicCredential Parse(string text, Group group, string path, bool checkMembership = true)
    {
        var parts = text.Split(',');
        if (parts.Length is < 1 or > 4)
        {
            throw new RecordFormatException($"{path}: not a public credential ('cred', 'cred,weight' or 'cred,weight,id')");
        }
        if (!group.TryParse(parts[0], checkMembership, out var cred, out var reason))
        {
            throw new RecordFormatException($"{path}: credential {reason}");
        }
        BigInteger? weight = null;
        if (parts.Length >= 2 && parts[1].Length > 0)
        {
            weight = Weights.TryParse(parts[1], out var w) ? w : throw new RecordFormatException($"{path}: weight '{parts[1]}' is not a non-negative integer");
        }
        return new PublicCredential(cred, weight, parts.Length >= 3 ? parts[2] : null);
    }
}

/// <summary>The <c>public_credentials</c> structure: a JSON list of strings.</summary>
public sealed class PublicCredentials(string raw, IReadOnlyList<PublicCredential> items)
{
    public string Raw { get; } = raw;

    public IReadOnlyList<PublicCredential> Items { get; } = items;

    public bool HasWeights => Items.Any(i => i.Weight is not null);

    private Dictionary<string, PublicCredential>? _byEncoding;

    /// <summary>The credentials by their encoding (built once per list, on first use; the first of duplicates wins).</summary>
    public IReadOnlyDictionary<string, PublicCredential> ByEncoding
    {
        get
        {
            if (_byEncoding is null)
            {
                var index = new Dictionary<string, PublicCredential>(Items.Count, StringComparer.Ordinal);
                foreach (var c in Items)
                {
                    index.TryAdd(c.Credential.Encoded, c);
                }
                _byEncoding = index;
            }
            return _byEncoding;
        }
    }

    public static PublicCredentials Parse(string raw, Group group)
    {
        using var doc = Json.ParseDocument(raw, "public_credentials");
        var items = doc.RootElement.Array("public_credentials", (x, p) => PublicCredential.Parse(x.String(p), group, p), 10_000_000);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in items)
        {
            if (!seen.Add(c.Credential.Encoded))
            {
                throw new RecordFormatException($"public_credentials: duplicate credential {c.Credential.Encoded}");
            }
        }
        return new PublicCredentials(raw, items);
    }

    /// <summary>The board form, sorted as Belenios sorts its credential map, without voter ids.</summary>
    public static string ToBoardJson(IEnumerable<PublicCredential> items) =>
        Json.Strings(items.Select(i => i.ToBoardString()).Order(StringComparer.Ordinal));
}
