using System.Buffers;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Socle.Modules.Voting.Crypto;

/// <summary>The hashes of the Belenios specification: SHA-256 over UTF-8 strings, shown in hexadecimal or compact Base64.</summary>
public static class Hashing
{
    /// <summary>SHA-256 in lowercase hexadecimal (the names of board files, the <c>setup_data</c> references).</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(SHA256.HashData(data));

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(Sha256Utf8(text));

    /// <summary>SHA-256 in Base64 without padding: election fingerprints, ballot hashes, tracking numbers.</summary>
    public static string Sha256Base64(ReadOnlySpan<byte> data) => CompactBase64(SHA256.HashData(data));

    public static string Sha256Base64(string text) => CompactBase64(Sha256Utf8(text));

    /// <summary>A digest in Base64 without padding, the form Belenios shows hashes in.</summary>
    public static string CompactBase64(byte[] digest) => Convert.ToBase64String(digest).TrimEnd('=');

    /// <summary>SHA-256 of the UTF-8 encoding of <paramref name="text"/> followed by <paramref name="suffix"/>, encoded in a
    /// pooled buffer rather than a new array (ballots, about 5 KB, are hashed several times each).</summary>
    public static byte[] Sha256Utf8(ReadOnlySpan<char> text, ReadOnlySpan<char> suffix = default)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length + suffix.Length));
        try
        {
            var n = Encoding.UTF8.GetBytes(text, buffer);
            n += Encoding.UTF8.GetBytes(suffix, buffer.AsSpan(n));
            return SHA256.HashData(buffer.AsSpan(0, n));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The compact Base64 form of a hash given in hexadecimal (φ from the <c>election</c> field of <c>setup_data</c>).</summary>
    public static string HexToBase64(string hex) => CompactBase64(Convert.FromHexString(hex));

    /// <summary>SHA-256 of the string, read as a 256-bit big-endian number, modulo q (Belenios' <c>G.hash</c>).</summary>
    public static BigInteger HashToZq(string text, BigInteger q) => ToZq(Sha256Utf8(text), q);

    private static BigInteger ToZq(ReadOnlySpan<byte> digest, BigInteger q) =>
        BigInteger.Remainder(new BigInteger(digest, isUnsigned: true, isBigEndian: true), q);

    /// <summary>
    /// Belenios' <c>G.hash prefix xs</c>: SHA-256 of the prefix followed by the elements joined by commas, modulo q.
    /// </summary>
    public static BigInteger HashElements(string prefix, IReadOnlyList<string> encodedElements, BigInteger q)
    {
        // Encoded into one pooled buffer and hashed: no joined string (verification hashes thousands of these).
        var length = Encoding.UTF8.GetMaxByteCount(prefix.Length);
        for (var i = 0; i < encodedElements.Count; i++)
        {
            length += Encoding.UTF8.GetMaxByteCount(encodedElements[i].Length) + 1;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var at = Encoding.UTF8.GetBytes(prefix, buffer);
            for (var i = 0; i < encodedElements.Count; i++)
            {
                if (i > 0)
                {
                    buffer[at++] = (byte)',';
                }
                at += Encoding.UTF8.GetBytes(encodedElements[i], buffer.AsSpan(at));
            }
            Span<byte> digest = stackalloc byte[32];
            SHA256.HashData(buffer.AsSpan(0, at), digest);
            return ToZq(digest, q);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static BigInteger HashElements(string prefix, IReadOnlyList<Element> elements, BigInteger q) =>
        HashElements(prefix, elements.Select(e => e.Encoded).ToArray(), q);

    public static bool IsHexHash(string s)
    {
        if (s.Length != 64)
        {
            return false;
        }
        foreach (var c in s)
        {
            if (!(c is >= '0' and <= '9' or >= 'a' and <= 'f'))
            {
                return false;
            }
        }
        return true;
    }
}
