using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;

namespace Socle.Modules.Voting.Crypto;

/// <summary>Integers modulo q (the group order), written in base 10 as Belenios does.</summary>
public static class Zq
{
    public static BigInteger Reduce(BigInteger x, BigInteger q)
    {
        var r = BigInteger.Remainder(x, q);
        return r.Sign < 0 ? r + q : r;
    }

    /// <summary>
    /// Reads a scalar received from outside: canonical decimal (digits only, no leading zero unless "0") and below q,
    /// so that re-serialising it gives the same bytes.
    /// </summary>
    public static bool TryParse(string text, BigInteger q, out BigInteger value, out string reason)
    {
        value = default;
        if (text.Length == 0 || text.Length > 700)
        {
            reason = "not a decimal number";
            return false;
        }
        foreach (var c in text)
        {
            if (c is < '0' or > '9')
            {
                reason = "not a decimal number";
                return false;
            }
        }
        if (text.Length > 1 && text[0] == '0')
        {
            reason = "not canonical (leading zero)";
            return false;
        }
        value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        if (value >= q)
        {
            reason = "not below the group order";
            return false;
        }
        reason = "";
        return true;
    }

    public static BigInteger Parse(string text, BigInteger q) =>
        TryParse(text, q, out var v, out var reason) ? v : throw new FormatException($"scalar '{text}': {reason}");

    public static string ToText(BigInteger x) => x.ToString(CultureInfo.InvariantCulture);

    /// <summary>A uniformly random scalar in [0, q), by rejection sampling on the bit length of q (as Belenios' random_modulo).</summary>
    public static BigInteger Random(BigInteger q)
    {
        var bits = (int)q.GetBitLength();
        var size = ((bits - 1) / 8) + 1;
        var buffer = new byte[size];
        var mask = (BigInteger.One << bits) - 1;
        while (true)
        {
            RandomNumberGenerator.Fill(buffer);
            var r = new BigInteger(buffer, isUnsigned: true, isBigEndian: true) & mask;
            if (r < q)
            {
                CryptographicOperations.ZeroMemory(buffer);
                return r;
            }
        }
    }

    /// <summary>A random non-zero scalar.</summary>
    public static BigInteger RandomNonZero(BigInteger q)
    {
        while (true)
        {
            var r = Random(q);
            if (!r.IsZero)
            {
                return r;
            }
        }
    }
}
