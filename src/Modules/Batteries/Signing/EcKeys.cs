using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Socle.Modules.Batteries.Signing;

/// <summary>A public P-256 key as a JSON Web Key (RFC 7517/7518) and its thumbprint (RFC 7638), used as the key id.</summary>
public sealed record PublicJwk(string Kty, string Crv, string X, string Y)
{
    public static PublicJwk From(ECDsa key)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        if (p.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new ArgumentException("Only P-256 keys are used.", nameof(key));
        }
        return new PublicJwk("EC", "P-256", Base64Url.Encode(p.Q.X), Base64Url.Encode(p.Q.Y));
    }

    public ECDsa ToECDsa()
    {
        if (Kty != "EC" || Crv != "P-256")
        {
            throw new CryptographicException($"Unsupported key {Kty}/{Crv}: only EC P-256.");
        }
        var x = Base64Url.Decode(X);
        var y = Base64Url.Decode(Y);
        if (x.Length != 32 || y.Length != 32)
        {
            throw new CryptographicException("A P-256 coordinate is 32 bytes.");
        }
        return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
    }

    /// <summary>RFC 7638: SHA-256 over the required members in lexicographic order, without whitespace, base64url.</summary>
    public string Thumbprint() =>
        Base64Url.Encode(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"crv":"{{Crv}}","kty":"{{Kty}}","x":"{{X}}","y":"{{Y}}"}""")));

    public string ToJson() => JsonSerializer.Serialize(new Dictionary<string, string> { ["kty"] = Kty, ["crv"] = Crv, ["x"] = X, ["y"] = Y, ["kid"] = Thumbprint(), ["alg"] = Jws.Algorithm, ["use"] = "sig" });

    public static PublicJwk Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        return new PublicJwk(r.GetProperty("kty").GetString()!, r.GetProperty("crv").GetString()!, r.GetProperty("x").GetString()!, r.GetProperty("y").GetString()!);
    }
}
