using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Socle.Modules.Batteries.Signing;

/// <summary>
/// JSON Web Signature (RFC 7515) with ES256 (RFC 7518 §3.4: ECDSA P-256 with SHA-256, signature as R || S, 64 bytes),
/// compact serialisation with a detached payload (RFC 7515 Appendix F): <c>header..signature</c>. The payload is the
/// stored version document, whose exact bytes are kept, so nothing has to be re-canonicalised to verify.
/// </summary>
public static class Jws
{
    public const string Algorithm = "ES256";
    public const string PassportVersionType = "socle-battery-passport-version+json";

    public static string SignDetached(ECDsa key, string keyId, ReadOnlySpan<byte> payload, string type = PassportVersionType)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = Algorithm, ["kid"] = keyId, ["typ"] = type });
        var encodedHeader = Base64Url.Encode(header);
        var input = SigningInput(encodedHeader, Base64Url.Encode(payload));
        var signature = key.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{encodedHeader}..{Base64Url.Encode(signature)}";
    }

    /// <summary>The header of a compact JWS, or null when it is not one.</summary>
    public static JwsHeader? ReadHeader(string jws)
    {
        var parts = jws.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(Base64Url.Decode(parts[0]));
            var root = doc.RootElement;
            return new JwsHeader(
                root.TryGetProperty("alg", out var alg) ? alg.GetString() ?? "" : "",
                root.TryGetProperty("kid", out var kid) ? kid.GetString() : null,
                root.TryGetProperty("typ", out var typ) ? typ.GetString() : null);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Verifies a compact JWS: with a detached payload when <paramref name="detachedPayload"/> is given (the JWS's own
    /// payload part must then be empty), otherwise the payload it carries. Only ES256 is accepted (no "none", no confusion).</summary>
    public static bool Verify(ECDsa publicKey, string jws, ReadOnlySpan<byte> detachedPayload, bool detached = true)
    {
        var parts = jws.Split('.');
        if (parts.Length != 3 || ReadHeader(jws) is not { Alg: Algorithm })
        {
            return false;
        }
        string encodedPayload;
        if (detached)
        {
            if (parts[1].Length != 0)
            {
                return false;
            }
            encodedPayload = Base64Url.Encode(detachedPayload);
        }
        else
        {
            encodedPayload = parts[1];
        }
        byte[] signature;
        try
        {
            signature = Base64Url.Decode(parts[2]);
        }
        catch (FormatException)
        {
            return false;
        }
        return signature.Length == 64
            && publicKey.VerifyData(SigningInput(parts[0], encodedPayload), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private static byte[] SigningInput(string encodedHeader, string encodedPayload) =>
        Encoding.ASCII.GetBytes($"{encodedHeader}.{encodedPayload}");
}

public sealed record JwsHeader(string Alg, string? Kid, string? Typ);

/// <summary>Base64url without padding (RFC 4648 §5), as JOSE uses it.</summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static byte[] Decode(string text)
    {
        if (text.Contains('=', StringComparison.Ordinal))
        {
            throw new FormatException("base64url text must not be padded");
        }
        return System.Buffers.Text.Base64Url.DecodeFromChars(text);
    }
}
