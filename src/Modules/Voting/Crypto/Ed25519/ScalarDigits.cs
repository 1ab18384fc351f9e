using System.Numerics;

namespace Socle.Modules.Voting.Crypto.Ed25519;

/// <summary>Scalars (below 2^255) as 64 signed radix-16 digits in [−8, 8]: k = Σ d_i·16^i.</summary>
internal static class ScalarDigits
{
    public static void Radix16(ReadOnlySpan<byte> scalar32LittleEndian, Span<sbyte> digits)
    {
        unchecked
        {
            for (var i = 0; i < 32; i++)
            {
                digits[2 * i] = (sbyte)(scalar32LittleEndian[i] & 15);
                digits[(2 * i) + 1] = (sbyte)((scalar32LittleEndian[i] >> 4) & 15);
            }
            var carry = 0;
            for (var i = 0; i < 63; i++)
            {
                var d = digits[i] + carry;
                carry = (d + 8) >> 4;
                digits[i] = (sbyte)(d - (carry << 4));
            }
            digits[63] = (sbyte)(digits[63] + carry);
        }
    }

    public static void Radix16(BigInteger scalar, Span<sbyte> digits)
    {
        unchecked
        {
            Span<byte> bytes = stackalloc byte[32];
            ToBytes(scalar, bytes);
            Radix16(bytes, digits);
        }
    }

    public static void ToBytes(BigInteger scalar, Span<byte> bytes32)
    {
        bytes32.Clear();
        if (scalar.Sign < 0 || !scalar.TryWriteBytes(bytes32, out _, isUnsigned: true, isBigEndian: false) || (bytes32[31] & 0x80) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(scalar), "scalar must be in [0, 2^255)");
        }
    }
}
