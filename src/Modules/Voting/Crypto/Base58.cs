using System.Security.Cryptography;

namespace Socle.Modules.Voting.Crypto;

/// <summary>The Base58 alphabet of Belenios' identifiers: election uuids, credentials, trustee seeds.</summary>
public static class Base58
{
    public const string Digits = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

    /// <summary>A random token of Base58 characters, each uniform (6 random bits, rejected when ≥ 58).</summary>
    public static string RandomToken(int length)
    {
        var chars = new char[length];
        Span<byte> one = stackalloc byte[1];
        for (var i = 0; i < length;)
        {
            RandomNumberGenerator.Fill(one);
            var x = one[0] & 63;
            if (x < 58)
            {
                chars[i++] = Digits[x];
            }
        }
        return new string(chars);
    }

    public static bool IsToken(string s, int minLength = 1) => s.Length >= minLength && s.All(c => Digits.Contains(c, StringComparison.Ordinal));

    /// <summary>An election identifier: 14 Base58 characters (at least 82 bits of entropy, Belenios' minimum).</summary>
    public static string NewUuid() => RandomToken(14);
}
