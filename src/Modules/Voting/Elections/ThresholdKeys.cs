using System.Numerics;
using System.Text;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;

namespace Socle.Modules.Voting.Elections;

/// <summary>Step 1 output: the trustee's secret seed (kept by the trustee) and public certificate.</summary>
public sealed record ThresholdCertificate(string Seed, SignedMessage Certificate);

/// <summary>Step 3 output (the specification's <c>polynomial</c> structure), sent to the server.</summary>
public sealed record ThresholdPolynomial(string Polynomial, IReadOnlyList<string> Secrets, SignedMessage Coefexps, Proof Signature)
{
    public string ToJson()
    {
        var sb = new StringBuilder();
        sb.Append('{').Field("polynomial", Polynomial, first: true).RawField("secrets", Json.Strings(Secrets)).Append(",\"coefexps\":");
        Coefexps.Write(sb);
        sb.Append(",\"signature\":");
        Signature.Write(sb);
        return sb.Append('}').ToString();
    }

    public static ThresholdPolynomial Parse(string json, Group group)
    {
        using var doc = Json.ParseDocument(json, "polynomial");
        var r = doc.RootElement;
        return new ThresholdPolynomial(r.Get("polynomial", "polynomial").String("polynomial.polynomial"),
            r.Get("secrets", "polynomial").Array("polynomial.secrets", (x, p) => x.String(p), 1000),
            SignedMessage.Read(r.Get("coefexps", "polynomial"), "polynomial.coefexps", group.Order),
            Proof.Read(r.Get("signature", "polynomial"), "polynomial.signature", group.Order));
    }
}

/// <summary>Step 4 output (<c>vinput</c>): what the server routes to trustee j.</summary>
public sealed record ThresholdInput(string Polynomial, IReadOnlyList<string> Secrets, IReadOnlyList<SignedMessage> Coefexps, IReadOnlyList<Proof> Signatures)
{
    public string ToJson()
    {
        var sb = new StringBuilder();
        sb.Append('{').Field("polynomial", Polynomial, first: true).RawField("secrets", Json.Strings(Secrets)).Append(",\"coefexps\":[");
        for (var i = 0; i < Coefexps.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            Coefexps[i].Write(sb);
        }
        sb.Append("],\"signatures\":");
        Proof.WriteArray(sb, Signatures);
        return sb.Append('}').ToString();
    }

    public static ThresholdInput Parse(string json, Group group)
    {
        using var doc = Json.ParseDocument(json, "vinput");
        var r = doc.RootElement;
        return new ThresholdInput(r.Get("polynomial", "vinput").String("vinput.polynomial"),
            r.Get("secrets", "vinput").Array("vinput.secrets", (x, p) => x.String(p), 1000),
            r.Get("coefexps", "vinput").Array("vinput.coefexps", (x, p) => SignedMessage.Read(x, p, group.Order), 1000),
            r.Get("signatures", "vinput").Array("vinput.signatures", (x, p) => Proof.Read(x, p, group.Order), 1000));
    }
}

/// <summary>Step 5 output (<c>voutput</c>): the trustee's encrypted decryption key share and its public verification key.</summary>
public sealed record ThresholdOutput(string PrivateKey, TrusteePublicKey PublicKey)
{
    public string ToJson()
    {
        var sb = new StringBuilder();
        sb.Append('{').Field("private_key", PrivateKey, first: true).Append(",\"public_key\":");
        PublicKey.Write(sb);
        return sb.Append('}').ToString();
    }

    public static ThresholdOutput Parse(string json, Group group)
    {
        using var doc = Json.ParseDocument(json, "voutput");
        var r = doc.RootElement;
        return new ThresholdOutput(r.Get("private_key", "voutput").String("voutput.private_key"),
            TrusteePublicKey.Read(r.Get("public_key", "voutput"), "voutput.public_key", group));
    }
}

/// <summary>
/// The Pedersen distributed key generation of the Belenios specification (§Filling in the trustees structure,
/// "Pedersen" protocol), step by step. Each trustee i draws a random polynomial f_i of degree t, publishes signed
/// commitments A_ik = g^(a_ik) and sends f_i(j) to trustee j encrypted and signed; trustee j checks
/// g^(s_ij) = Π_k A_ik^(j^k), keeps S_j = Σ_i s_ij and publishes g^(S_j). The election sub-key is Π_i A_i0; any t+1
/// trustees decrypt together by Lagrange interpolation, t cannot.
/// </summary>
public static class ThresholdKeys
{
    /// <summary>Step 1: a seed (22 Base58 characters) and the certificate of its signing and encryption keys.</summary>
    public static ThresholdCertificate Certificate(Group group, int size, int threshold, int index)
    {
        if (size < 1 || threshold < 1 || threshold > size || index < 1 || index > size)
        {
            throw new ArgumentException($"need 1 ≤ threshold ≤ size and 1 ≤ index ≤ size (size {size}, threshold {threshold}, index {index})");
        }
        var seed = Base58.RandomToken(22);
        var sk = TrusteeKeys.DeriveSigningKey(seed, group);
        var dk = TrusteeKeys.DeriveDecryptionKey(seed, group);
        var keys = new CertKeys(new CertContext(group.Name, size, threshold, index), group.GeneratorPowerSecret(sk), group.GeneratorPowerSecret(dk));
        return new ThresholdCertificate(seed, TrusteeKeys.Sign(group, sk, keys.ToJson()));
    }

    /// <summary>Checks every certificate: its context (group, size, threshold, index i) and its self-signature.</summary>
    public static int CheckCertificates(Group group, IReadOnlyList<SignedMessage> certs)
    {
        if (certs.Count == 0)
        {
            throw new ArgumentException("no certificates");
        }
        var first = CertKeys.Parse(certs[0].Message, group).Context ?? throw new RecordFormatException("certificate 1 has no context");
        for (var i = 0; i < certs.Count; i++)
        {
            CheckCertificate(group, certs[i], new CertContext(group.Name, certs.Count, first.Threshold, i + 1));
        }
        return first.Threshold;
    }

    /// <summary>One certificate: the context expected for its place (group, size, threshold, index) and its self-signature.</summary>
    public static void CheckCertificate(Group group, SignedMessage cert, CertContext expected)
    {
        var keys = CertKeys.Parse(cert.Message, group);
        if (keys.Context != expected)
        {
            throw new RecordFormatException($"certificate {expected.Index}: its context is {keys.Context}, expected {expected}");
        }
        if (!TrusteeKeys.VerifySignature(group, keys.Verification, cert))
        {
            throw new RecordFormatException($"certificate {expected.Index}: the signature does not verify");
        }
    }

    private static string CertsJson(IReadOnlyList<SignedMessage> certs, IEnumerable<Element> coefexps)
    {
        var sb = new StringBuilder();
        sb.Append("{\"certs\":[");
        for (var i = 0; i < certs.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }
            certs[i].Write(sb);
        }
        sb.Append("],\"coefexps\":").Append(Json.Strings(coefexps.Select(c => c.Encoded))).Append('}');
        return sb.ToString();
    }

    private static int FindMe(Group group, IReadOnlyList<SignedMessage> certs, BigInteger sk, BigInteger dk)
    {
        var vk = group.GeneratorPowerSecret(sk);
        var ek = group.GeneratorPowerSecret(dk);
        for (var i = 0; i < certs.Count; i++)
        {
            var keys = CertKeys.Parse(certs[i].Message, group);
            if (group.AreEqual(keys.Verification, vk) && group.AreEqual(keys.Encryption, ek))
            {
                return i + 1;
            }
        }
        throw new RecordFormatException("this seed's certificate is not in the list of certificates");
    }

    private static BigInteger Eval(IReadOnlyList<BigInteger> polynomial, BigInteger x, BigInteger q)
    {
        var result = BigInteger.Zero;
        var power = BigInteger.One;
        foreach (var a in polynomial)
        {
            result = Zq.Reduce(result + (power * a), q);
            power = Zq.Reduce(power * x, q);
        }
        return result;
    }

    /// <summary>Step 3: trustee i's polynomial, its signed commitments and the encrypted shares for every trustee.</summary>
    public static ThresholdPolynomial Polynomial(Group group, IReadOnlyList<SignedMessage> certs, string seed)
    {
        var threshold = CheckCertificates(group, certs);
        var q = group.Order;
        var sk = TrusteeKeys.DeriveSigningKey(seed, group);
        var dk = TrusteeKeys.DeriveDecryptionKey(seed, group);
        FindMe(group, certs, sk, dk);
        var ek = group.GeneratorPowerSecret(dk);
        var polynomial = Enumerable.Range(0, threshold).Select(_ => Zq.Random(q)).ToArray();
        var rawPolynomial = "{\"polynomial\":" + Json.Strings(polynomial.Select(Zq.ToText)) + "}";
        var coefexps = polynomial.Select(group.GeneratorPowerSecret).ToArray();
        var signature = TrusteeKeys.Sign(group, sk, "certs_sig|" + CertsJson(certs, coefexps)).Signature;
        var secrets = new string[certs.Count];
        for (var j = 0; j < certs.Count; j++)
        {
            var recipient = CertKeys.Parse(certs[j].Message, group).Encryption;
            var secret = "{\"secret\":" + Json.Quote(Zq.ToText(Eval(polynomial, j + 1, q))) + "}";
            secrets[j] = TrusteeKeys.Send(group, sk, recipient, secret);
        }
        return new ThresholdPolynomial(
            TrusteeKeys.Send(group, sk, ek, rawPolynomial),
            secrets,
            TrusteeKeys.Sign(group, sk, RawCoefexps.ToJson(coefexps)),
            signature);
    }

    /// <summary>Step 4 (server): checks each polynomial's signatures and routes the encrypted shares to their recipients.</summary>
    public static IReadOnlyList<ThresholdInput> Inputs(Group group, IReadOnlyList<SignedMessage> certs, IReadOnlyList<ThresholdPolynomial> polynomials)
    {
        var threshold = CheckCertificates(group, certs);
        var n = certs.Count;
        if (polynomials.Count != n)
        {
            throw new ArgumentException($"{n} polynomials expected, {polynomials.Count} given");
        }
        for (var i = 0; i < n; i++)
        {
            CheckPolynomial(group, certs, threshold, i + 1, polynomials[i]);
        }
        return Enumerable.Range(0, n).Select(j => new ThresholdInput(
            polynomials[j].Polynomial,
            polynomials.Select(p => p.Secrets[j]).ToList(),
            polynomials.Select(p => p.Coefexps).ToList(),
            polynomials.Select(p => p.Signature).ToList())).ToList();
    }

    /// <summary>
    /// Checks trustee i's polynomial as the server receives it: commitments signed by i, as many as the threshold, the
    /// signature binding them to the certificates, one encrypted share per trustee. Returns the commitments.
    /// </summary>
    public static IReadOnlyList<Element> CheckPolynomial(Group group, IReadOnlyList<SignedMessage> certs, int threshold, int i, ThresholdPolynomial p)
    {
        var n = certs.Count;
        var vk = CertKeys.Parse(certs[i - 1].Message, group).Verification;
        if (!TrusteeKeys.VerifySignature(group, vk, p.Coefexps))
        {
            throw new RecordFormatException($"polynomial {i}: the commitments are not signed by trustee {i}");
        }
        var coefexps = RawCoefexps.Parse(p.Coefexps.Message, group, $"polynomial {i}");
        if (coefexps.Count != threshold)
        {
            throw new RecordFormatException($"polynomial {i}: {coefexps.Count} commitments, {threshold} expected");
        }
        if (!TrusteeKeys.VerifySignature(group, vk, new SignedMessage("certs_sig|" + CertsJson(certs, coefexps), p.Signature)))
        {
            throw new RecordFormatException($"polynomial {i}: the signature binding certificates and commitments does not verify");
        }
        if (p.Secrets.Count != n)
        {
            throw new RecordFormatException($"polynomial {i}: {p.Secrets.Count} shares, {n} expected");
        }
        return coefexps;
    }

    /// <summary>
    /// Trustee j's verification key g^(S_j): a valid proof of knowledge, and Π_i f_i(j) in the exponent given every
    /// trustee's commitments. Null when it is right, otherwise what is wrong.
    /// </summary>
    public static string? VerificationKeyProblem(Group group, IReadOnlyList<IReadOnlyList<Element>> coefexps, int j, TrusteePublicKey vk)
    {
        if (!TrusteeKeys.CheckSingle(group, vk))
        {
            return $"the verification key of trustee {j} has an invalid proof of knowledge";
        }
        return group.AreEqual(group.Product(coefexps.Select(c => Evaluate(group, c, j))), vk.PublicKey)
            ? null
            : $"the verification key of trustee {j} does not match the published commitments";
    }

    /// <summary>Step 5: trustee j opens its shares, checks each against the commitments, and publishes g^(S_j) with a proof.</summary>
    public static ThresholdOutput Output(Group group, IReadOnlyList<SignedMessage> certs, string seed, ThresholdInput input)
    {
        var threshold = CheckCertificates(group, certs);
        var q = group.Order;
        var n = certs.Count;
        var sk = TrusteeKeys.DeriveSigningKey(seed, group);
        var dk = TrusteeKeys.DeriveDecryptionKey(seed, group);
        var j = FindMe(group, certs, sk, dk);
        var keys = certs.Select(c => CertKeys.Parse(c.Message, group)).ToList();
        if (input.Secrets.Count != n || input.Coefexps.Count != n)
        {
            throw new RecordFormatException($"the input has {input.Secrets.Count} shares and {input.Coefexps.Count} commitments, {n} expected");
        }
        // The trustee's own polynomial, to check that the server routed the right one.
        TrusteeKeys.Receive(group, dk, keys[j - 1].Verification, input.Polynomial);
        var total = BigInteger.Zero;
        for (var i = 0; i < n; i++)
        {
            var secretJson = TrusteeKeys.Receive(group, dk, keys[i].Verification, input.Secrets[i]);
            using var doc = Json.ParseDocument(secretJson, "secret");
            var s = doc.RootElement.Get("secret", "secret").Scalar("secret.secret", q);
            if (!TrusteeKeys.VerifySignature(group, keys[i].Verification, input.Coefexps[i]))
            {
                throw new RecordFormatException($"the commitments of trustee {i + 1} are not signed by that trustee");
            }
            var coefexps = RawCoefexps.Parse(input.Coefexps[i].Message, group, $"coefexps {i + 1}");
            if (coefexps.Count != threshold)
            {
                throw new RecordFormatException($"trustee {i + 1} committed to {coefexps.Count} coefficients, {threshold} expected");
            }
            if (!group.AreEqual(group.GeneratorPowerSecret(s), Evaluate(group, coefexps, j)))
            {
                throw new RecordFormatException($"the share from trustee {i + 1} does not match its commitments");
            }
            total = Zq.Reduce(total + s, q);
        }
        var pdk = "{\"decryption_key\":" + Json.Quote(Zq.ToText(total)) + "}";
        return new ThresholdOutput(TrusteeKeys.Send(group, sk, group.GeneratorPowerSecret(dk), pdk), TrusteeKeys.Prove(group, total));
    }

    /// <summary>Π_k A_k^(j^k): the public value of a committed polynomial at j.</summary>
    public static Element Evaluate(Group group, IReadOnlyList<Element> coefexps, int j)
    {
        var result = group.Identity;
        var power = BigInteger.One;
        foreach (var a in coefexps)
        {
            result = group.Multiply(result, group.Power(a, power));
            power = Zq.Reduce(power * j, group.Order);
        }
        return result;
    }

    /// <summary>Step 6 (server): checks the outputs against the commitments and assembles the threshold parameters.</summary>
    public static ThresholdParameters Parameters(Group group, IReadOnlyList<SignedMessage> certs, IReadOnlyList<ThresholdPolynomial> polynomials, IReadOnlyList<ThresholdOutput> outputs)
    {
        var inputs = Inputs(group, certs, polynomials);
        var threshold = CheckCertificates(group, certs);
        var parameters = new ThresholdParameters(threshold, certs, inputs[0].Coefexps, inputs[0].Signatures, outputs.Select(o => o.PublicKey).ToList());
        return CheckParameters(group, parameters) is { } problem ? throw new RecordFormatException(problem) : parameters;
    }

    /// <summary>The checks of Belenios' check_pedersen; null when the parameters are valid.</summary>
    public static string? CheckParameters(Group group, ThresholdParameters t)
    {
        var n = t.Certs.Count;
        if (n == 0 || t.Coefexps.Count != n || t.VerificationKeys.Count != n || t.Signatures is null || t.Signatures.Count != n)
        {
            return "a threshold group needs as many certificates, commitments, signatures and verification keys as trustees";
        }
        if (t.Threshold < 1 || t.Threshold > n)
        {
            return $"threshold {t.Threshold} is not between 1 and {n}";
        }
        List<CertKeys> keys;
        try
        {
            keys = t.Certs.Select(c => CertKeys.Parse(c.Message, group)).ToList();
        }
        catch (RecordFormatException e)
        {
            return e.Message;
        }
        for (var i = 0; i < n; i++)
        {
            if (keys[i].Context != new CertContext(group.Name, n, t.Threshold, i + 1) || !TrusteeKeys.VerifySignature(group, keys[i].Verification, t.Certs[i]))
            {
                return $"certificate {i + 1} is not valid for this group of trustees";
            }
            if (!TrusteeKeys.VerifySignature(group, keys[i].Verification, t.Coefexps[i]))
            {
                return $"the commitments of trustee {i + 1} are not signed by that trustee";
            }
        }
        var coefexps = new List<IReadOnlyList<Element>>();
        for (var i = 0; i < n; i++)
        {
            IReadOnlyList<Element> c;
            try
            {
                c = RawCoefexps.Parse(t.Coefexps[i].Message, group, $"coefexps {i + 1}");
            }
            catch (RecordFormatException e)
            {
                return e.Message;
            }
            if (c.Count != t.Threshold)
            {
                return $"trustee {i + 1} committed to {c.Count} coefficients, the threshold is {t.Threshold}";
            }
            if (!TrusteeKeys.VerifySignature(group, keys[i].Verification, new SignedMessage("certs_sig|" + CertsJson(t.Certs, c), t.Signatures[i])))
            {
                return $"the signature of trustee {i + 1} over the certificates and its commitments does not verify";
            }
            coefexps.Add(c);
        }
        for (var j = 1; j <= n; j++)
        {
            if (VerificationKeyProblem(group, coefexps, j, t.VerificationKeys[j - 1]) is { } problem)
            {
                return problem;
            }
        }
        return null;
    }

    /// <summary>The election sub-key of a threshold group: Π_i A_i0.</summary>
    public static Element SubKey(Group group, ThresholdParameters t) =>
        group.Product(t.Coefexps.Select((c, i) => RawCoefexps.Parse(c.Message, group, $"coefexps {i + 1}")[0]));

    /// <summary>Trustee j's decryption key share S_j, from its seed and the encrypted share the server keeps for it.</summary>
    public static BigInteger OpenDecryptionKey(Group group, string seed, string encryptedKey)
    {
        var sk = TrusteeKeys.DeriveSigningKey(seed, group);
        var dk = TrusteeKeys.DeriveDecryptionKey(seed, group);
        var json = TrusteeKeys.Receive(group, dk, group.GeneratorPowerSecret(sk), encryptedKey);
        using var doc = Json.ParseDocument(json, "partial decryption key");
        return doc.RootElement.Get("decryption_key", "pdk").Scalar("pdk.decryption_key", group.Order);
    }
}

/// <summary>The election key: the product of the trustees' sub-keys (Single keys and threshold groups' Π A_i0).</summary>
public static class ElectionKey
{
    public static Element Combine(Group group, TrusteesRecord trustees) =>
        group.Product(trustees.Items.Select(i => i switch
        {
            TrusteeKind.Single s => s.Key.PublicKey,
            TrusteeKind.Pedersen p => ThresholdKeys.SubKey(group, p.Parameters),
            _ => group.Identity,
        }));

    /// <summary>Belenios' K.check: every single key's proof and every threshold group; null when all hold.</summary>
    public static string? Check(Group group, TrusteesRecord trustees)
    {
        var owner = 1;
        foreach (var item in trustees.Items)
        {
            switch (item)
            {
                case TrusteeKind.Single s:
                    if (!TrusteeKeys.CheckSingle(group, s.Key))
                    {
                        return $"trustee {owner}: the proof of knowledge of the private key does not verify";
                    }
                    owner++;
                    break;
                case TrusteeKind.Pedersen p:
                    if (ThresholdKeys.CheckParameters(group, p.Parameters) is { } problem)
                    {
                        return $"threshold trustees {owner}–{owner + p.Parameters.VerificationKeys.Count - 1}: {problem}";
                    }
                    owner += p.Parameters.VerificationKeys.Count;
                    break;
            }
        }
        return null;
    }
}
