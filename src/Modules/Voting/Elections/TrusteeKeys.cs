using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;

namespace Socle.Modules.Voting.Elections;

/// <summary>A single ("mandatory") trustee's key pair: x secret, X = g^x published with a proof of knowledge.</summary>
public sealed record SingleTrusteeKey(BigInteger PrivateKey, TrusteePublicKey PublicKey)
{
    /// <summary>The private key file: the scalar as a JSON string, as Belenios writes <c>.privkey</c> files.</summary>
    public string PrivateKeyJson => Json.Quote(Zq.ToText(PrivateKey));
}

/// <summary>
/// Trustee keys (specification §Verification keys, §Messages specific to threshold decryption support): single keys,
/// and the Pedersen distributed key generation in which t+1 of n trustees are needed to decrypt and no one ever holds
/// the whole key.
/// </summary>
public static class TrusteeKeys
{
    // ---- Single keys -----------------------------------------------------------------------------------------------

    public static SingleTrusteeKey GenerateSingle(Group group, string? name = null)
    {
        var x = Zq.RandomNonZero(group.Order);
        return new SingleTrusteeKey(x, Prove(group, x, name));
    }

    /// <summary>The trustee_public_key of a private key: X = g^x and pok = (challenge, response) over pok|G|X|.</summary>
    public static TrusteePublicKey Prove(Group group, BigInteger x, string? name = null)
    {
        var publicKey = group.GeneratorPowerSecret(x);
        return new TrusteePublicKey(FiatShamir.ProveKnowledge(group, x, FiatShamir.KeyPossession(group, publicKey)), publicKey, name);
    }

    public static bool CheckSingle(Group group, TrusteePublicKey key) =>
        FiatShamir.VerifyKnowledge(group, key.PublicKey, key.Pok, FiatShamir.KeyPossession(group, key.PublicKey));

    public static BigInteger ParsePrivateKey(string json, Group group)
    {
        using var doc = Json.ParseDocument(json.Trim(), "private key");
        return doc.RootElement.Scalar("private_key", group.Order);
    }

    // ---- PKI: signing keys, encryption keys, signed and encrypted messages ------------------------------------------

    /// <summary>sk = SHA256("sk|" ‖ seed) mod q.</summary>
    public static BigInteger DeriveSigningKey(string seed, Group group) => Zq.Reduce(HexNumber(Hashing.Sha256Hex("sk|" + seed)), group.Order);

    /// <summary>dk = SHA256("dk|" ‖ seed) mod q.</summary>
    public static BigInteger DeriveDecryptionKey(string seed, Group group) => Zq.Reduce(HexNumber(Hashing.Sha256Hex("dk|" + seed)), group.Order);

    private static BigInteger HexNumber(string hex) =>
        BigInteger.Parse("0" + hex, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A signed message: challenge = H(sigmsg|M|, g^w), response = w − sk·challenge.</summary>
    public static SignedMessage Sign(Group group, BigInteger sk, string message) =>
        new(message, FiatShamir.ProveKnowledge(group, sk, FiatShamir.SignedMessage(message)));

    public static bool VerifySignature(Group group, Element verificationKey, SignedMessage message) =>
        FiatShamir.VerifyKnowledge(group, verificationKey, message.Signature, FiatShamir.SignedMessage(message.Message));

    /// <summary>
    /// ElGamal key encapsulation with AES-CCM (the encrypted_msg structure): alpha = g^r, beta = ek^r·K with K = g^s,
    /// data = AES-CCM(key = SHA256("key|" ‖ K), nonce from SHA256("iv|" ‖ alpha), 64-bit tag), in hexadecimal.
    /// </summary>
    public static string Encrypt(Group group, Element recipient, string plaintext)
    {
        var q = group.Order;
        var r = Zq.Random(q);
        var s = Zq.Random(q);
        var k = group.GeneratorPowerSecret(s);
        var alpha = group.GeneratorPowerSecret(r);
        var beta = group.Multiply(group.PowerSecret(recipient, r), k);
        var data = Ccm(encrypt: true, KeyOf(k), IvOf(alpha), Encoding.UTF8.GetBytes(plaintext));
        return new StringBuilder().Append('{').Field("alpha", alpha.Encoded, first: true).Field("beta", beta.Encoded)
            .Field("data", Convert.ToHexStringLower(data)).Append('}').ToString();
    }

    public static string Decrypt(Group group, BigInteger dk, string encryptedJson)
    {
        using var doc = Json.ParseDocument(encryptedJson, "encrypted message");
        var r = doc.RootElement;
        var alpha = r.Get("alpha", "encrypted_msg").Element("encrypted_msg.alpha", group);
        var beta = r.Get("beta", "encrypted_msg").Element("encrypted_msg.beta", group);
        var data = Convert.FromHexString(r.Get("data", "encrypted_msg").String("encrypted_msg.data"));
        var k = group.Divide(beta, group.PowerSecret(alpha, dk));
        var plain = Ccm(encrypt: false, KeyOf(k), IvOf(alpha), data);
        return Encoding.UTF8.GetString(plain);
    }

    private static byte[] KeyOf(Element k) => Convert.FromHexString(Hashing.Sha256Hex("key|" + k.Encoded));

    private static byte[] IvOf(Element alpha) => Convert.FromHexString(Hashing.Sha256Hex("iv|" + alpha.Encoded));

    /// <summary>CCM as SJCL (and so Belenios) uses it: 8-byte tag, nonce = the first 15 − L bytes of the IV, L ≥ 2 sized to the message.</summary>
    private static byte[] Ccm(bool encrypt, byte[] key, byte[] iv, byte[] input)
    {
        const int TagLength = 8;
        var messageLength = encrypt ? input.Length : input.Length - TagLength;
        if (messageLength < 0)
        {
            throw new CryptographicException("encrypted message too short");
        }
        var l = 2;
        while (l < 4 && (messageLength >> (8 * l)) != 0)
        {
            l++;
        }
        var nonce = iv.AsSpan(0, 15 - l);
        using var aes = new AesCcm(key);
        if (encrypt)
        {
            var output = new byte[input.Length + TagLength];
            aes.Encrypt(nonce, input, output.AsSpan(0, input.Length), output.AsSpan(input.Length));
            return output;
        }
        var plain = new byte[messageLength];
        aes.Decrypt(nonce, input.AsSpan(0, messageLength), input.AsSpan(messageLength), plain);
        return plain;
    }

    /// <summary>send(sk, recipient, M): a channel_msg {recipient, message}, signed, then encrypted for the recipient.</summary>
    public static string Send(Group group, BigInteger sk, Element recipient, string message)
    {
        var channel = new StringBuilder().Append('{').Field("recipient", recipient.Encoded, first: true).Field("message", message).Append('}').ToString();
        return Encrypt(group, recipient, Sign(group, sk, channel).ToJson());
    }

    /// <summary>Opens a message sent to the holder of dk by the holder of verification key vk; checks signature and recipient.</summary>
    public static string Receive(Group group, BigInteger dk, Element senderVerificationKey, string encryptedJson)
    {
        var signedJson = Decrypt(group, dk, encryptedJson);
        using var doc = Json.ParseDocument(signedJson, "signed message");
        var signed = SignedMessage.Read(doc.RootElement, "signed_msg", group.Order);
        if (!VerifySignature(group, senderVerificationKey, signed))
        {
            throw new RecordFormatException("a received message is not signed by its sender");
        }
        using var inner = Json.ParseDocument(signed.Message, "channel message");
        var recipient = inner.RootElement.Get("recipient", "channel_msg").Element("channel_msg.recipient", group);
        if (!group.AreEqual(recipient, group.GeneratorPowerSecret(dk)))
        {
            throw new RecordFormatException("a received message was sent to someone else");
        }
        return inner.RootElement.Get("message", "channel_msg").String("channel_msg.message");
    }
}
