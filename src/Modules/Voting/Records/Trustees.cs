using System.Numerics;
using System.Text;
using System.Text.Json;
using Socle.Modules.Voting.Crypto;

namespace Socle.Modules.Voting.Records;

/// <summary>A trustee's public key with its proof of knowledge (specification §Verification keys).</summary>
public sealed record TrusteePublicKey(Proof Pok, Element PublicKey, string? Name = null)
{
    public void Write(StringBuilder sb)
    {
        sb.Append("{\"pok\":");
        Pok.Write(sb);
        sb.Field("public_key", PublicKey.Encoded);
        if (Name is not null)
        {
            sb.Field("name", Name);
        }
        sb.Append('}');
    }

    public string ToJson()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    public static TrusteePublicKey Read(JsonElement e, string path, Group group) =>
        new(Proof.Read(e.Get("pok", path), path + ".pok", group.Order),
            e.Get("public_key", path).Element(path + ".public_key", group),
            e.GetOptional("name")?.String(path + ".name"));

    public static TrusteePublicKey Parse(string json, Group group)
    {
        using var doc = Json.ParseDocument(json, "trustee public key");
        return Read(doc.RootElement, "trustee_public_key", group);
    }
}

/// <summary>A message with a Schnorr signature (specification §Public key infrastructure): {message, signature}.</summary>
public sealed record SignedMessage(string Message, Proof Signature)
{
    public void Write(StringBuilder sb)
    {
        sb.Append('{').Field("message", Message, first: true).Append(",\"signature\":");
        Signature.Write(sb);
        sb.Append('}');
    }

    public string ToJson()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    public static SignedMessage Read(JsonElement e, string path, BigInteger q) =>
        new(e.Get("message", path).String(path + ".message"), Proof.Read(e.Get("signature", path), path + ".signature", q));
}

/// <summary>The context of a threshold certificate: group, number of trustees, threshold (t+1), index from 1.</summary>
public sealed record CertContext(string Group, int Size, int Threshold, int Index);

/// <summary>The keys a threshold trustee certifies: verification (signing) and encryption keys.</summary>
public sealed record CertKeys(CertContext? Context, Element Verification, Element Encryption)
{
    public string ToJson()
    {
        var sb = new StringBuilder();
        sb.Append('{');
        var first = true;
        if (Context is not null)
        {
            sb.Append("\"context\":{").Field("group", Context.Group, first: true).IntField("size", Context.Size)
                .IntField("threshold", Context.Threshold).IntField("index", Context.Index).Append('}');
            first = false;
        }
        sb.Field("verification", Verification.Encoded, first).Field("encryption", Encryption.Encoded).Append('}');
        return sb.ToString();
    }

    public static CertKeys Parse(string json, Group group)
    {
        using var doc = Json.ParseDocument(json, "certificate");
        var root = doc.RootElement;
        CertContext? context = null;
        if (root.GetOptional("context") is { } c)
        {
            context = new CertContext(c.Get("group", "cert.context").String("cert.context.group"), c.Get("size", "cert.context").Int("cert.context.size"),
                c.Get("threshold", "cert.context").Int("cert.context.threshold"), c.Get("index", "cert.context").Int("cert.context.index"));
        }
        return new CertKeys(context, root.Get("verification", "cert").Element("cert.verification", group),
            root.Get("encryption", "cert").Element("cert.encryption", group));
    }
}

/// <summary>
/// The public part of a Pedersen threshold key (specification §Threshold parameters): threshold t+1, the trustees'
/// certificates, their signed polynomial commitments (coefexps), their signatures binding certificates and commitments,
/// and each trustee's verification key (public share).
/// </summary>
public sealed record ThresholdParameters(
    int Threshold,
    IReadOnlyList<SignedMessage> Certs,
    IReadOnlyList<SignedMessage> Coefexps,
    IReadOnlyList<Proof>? Signatures,
    IReadOnlyList<TrusteePublicKey> VerificationKeys)
{
    public void Write(StringBuilder sb)
    {
        sb.Append('{').IntField("threshold", Threshold, first: true).Append(",\"certs\":[");
        for (var i = 0; i < Certs.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            Certs[i].Write(sb);
        }
        sb.Append("],\"coefexps\":[");
        for (var i = 0; i < Coefexps.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            Coefexps[i].Write(sb);
        }
        sb.Append(']');
        if (Signatures is not null)
        {
            sb.Append(",\"signatures\":");
            Proof.WriteArray(sb, Signatures);
        }
        sb.Append(",\"verification_keys\":[");
        for (var i = 0; i < VerificationKeys.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            VerificationKeys[i].Write(sb);
        }
        sb.Append("]}");
    }

    public string ToJson()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    public static ThresholdParameters Read(JsonElement e, string path, Group group)
    {
        var q = group.Order;
        return new ThresholdParameters(
            e.Get("threshold", path).Int(path + ".threshold"),
            e.Get("certs", path).Array(path + ".certs", (x, p) => SignedMessage.Read(x, p, q), 1000),
            e.Get("coefexps", path).Array(path + ".coefexps", (x, p) => SignedMessage.Read(x, p, q), 1000),
            e.GetOptional("signatures") is { } s ? s.Array(path + ".signatures", (x, p) => Proof.Read(x, p, q), 1000) : null,
            e.Get("verification_keys", path).Array(path + ".verification_keys", (x, p) => TrusteePublicKey.Read(x, p, group), 1000));
    }

    public static ThresholdParameters Parse(string json, Group group)
    {
        using var doc = Json.ParseDocument(json, "threshold parameters");
        return Read(doc.RootElement, "threshold_parameters", group);
    }

    /// <summary>The committed coefficients A_i0 … A_it of each trustee i.</summary>
    public IReadOnlyList<IReadOnlyList<Element>> CoefficientCommitments(Group group) =>
        Coefexps.Select((c, i) => RawCoefexps.Parse(c.Message, group, $"coefexps[{i}]")).ToList();
}

/// <summary>The <c>raw_coefexps</c> structure: {"coefexps":[A_0,…,A_t]}.</summary>
internal static class RawCoefexps
{
    public static IReadOnlyList<Element> Parse(string json, Group group, string path)
    {
        using var doc = Json.ParseDocument(json, path);
        return doc.RootElement.Get("coefexps", path).Array(path + ".coefexps", (x, p) => x.Element(p, group), 1000);
    }

    public static string ToJson(IEnumerable<Element> coefexps) => "{\"coefexps\":" + Json.Strings(coefexps.Select(c => c.Encoded)) + "}";
}

/// <summary>One item of the <c>trustees</c> structure: a mandatory single key, or a Pedersen threshold group.</summary>
public abstract record TrusteeKind
{
    public sealed record Single(TrusteePublicKey Key) : TrusteeKind;

    public sealed record Pedersen(ThresholdParameters Parameters) : TrusteeKind;

    /// <summary>Number of partial decryption owners this item accounts for.</summary>
    public int OwnerCount => this switch
    {
        Single => 1,
        Pedersen p => p.Parameters.VerificationKeys.Count,
        _ => 0,
    };
}

/// <summary>The <c>trustees</c> structure (specification §Trustees), with the exact text it was read from.</summary>
public sealed class TrusteesRecord(string raw, IReadOnlyList<TrusteeKind> items)
{
    public string Raw { get; } = raw;

    public IReadOnlyList<TrusteeKind> Items { get; } = items;

    /// <summary>Every public key in owner order (owner n of a partial decryption is entry n−1).</summary>
    public IReadOnlyList<TrusteePublicKey> OwnerKeys =>
        Items.SelectMany(i => i switch
        {
            TrusteeKind.Single s => [s.Key],
            TrusteeKind.Pedersen p => p.Parameters.VerificationKeys,
            _ => Array.Empty<TrusteePublicKey>(),
        }).ToList();

    public int OwnerCount => Items.Sum(i => i.OwnerCount);

    public static TrusteesRecord Parse(string raw, Group group)
    {
        using var doc = Json.ParseDocument(raw, "trustees");
        var items = doc.RootElement.Array("trustees", (e, path) =>
        {
            if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2)
            {
                throw new RecordFormatException($"{path}: [\"Single\", key] or [\"Pedersen\", parameters] is expected");
            }
            var kind = e[0].String(path + "[0]");
            return kind switch
            {
                "Single" => (TrusteeKind)new TrusteeKind.Single(TrusteePublicKey.Read(e[1], path + "[1]", group)),
                "Pedersen" => new TrusteeKind.Pedersen(ThresholdParameters.Read(e[1], path + "[1]", group)),
                _ => throw new RecordFormatException($"{path}[0]: unknown trustee kind '{kind}'"),
            };
        }, 1000);
        if (items.Length == 0)
        {
            throw new RecordFormatException("trustees: at least one trustee is needed");
        }
        return new TrusteesRecord(raw, items);
    }

    public static TrusteesRecord Create(IReadOnlyList<TrusteeKind> items, Group group)
    {
        var sb = new StringBuilder();
        sb.Append('[');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            switch (items[i])
            {
                case TrusteeKind.Single s:
                    sb.Append("[\"Single\",");
                    s.Key.Write(sb);
                    sb.Append(']');
                    break;
                case TrusteeKind.Pedersen p:
                    sb.Append("[\"Pedersen\",");
                    p.Parameters.Write(sb);
                    sb.Append(']');
                    break;
            }
        }
        sb.Append(']');
        return Parse(sb.ToString(), group);
    }
}
