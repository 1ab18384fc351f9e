using System.Numerics;
using System.Runtime.CompilerServices;

namespace Socle.Modules.Voting.Crypto.Ed25519;

/// <summary>
/// An element of the field F_p, p = 2^255 − 19, in radix 2^51: value = L0 + L1·2^51 + L2·2^102 + L3·2^153 + L4·2^204.
/// Limbs are kept below 2^52 after every operation except <see cref="AddNoCarry"/>; <see cref="ToBytes"/> gives the
/// unique canonical value. Arithmetic is branch-free in the limbs (variable time only in <see cref="IsZero"/> and
/// comparisons, which callers use on public data).
/// </summary>
internal struct Fe
{
    public ulong L0, L1, L2, L3, L4;

    private const ulong Mask51 = (1UL << 51) - 1;

    /// <summary>p = 2^255 − 19 (declared first: the constants below are reduced by it).</summary>
    public static readonly BigInteger P = (BigInteger.One << 255) - 19;

    public static readonly Fe Zero = default;
    public static readonly Fe One = new() { L0 = 1 };

    /// <summary>d = −121665/121666, the Edwards curve constant.</summary>
    public static readonly Fe D = FromBigInteger(BigInteger.Parse("37095705934669439343138083508754565189542113879843219016388785533085940283555"));

    /// <summary>2d.</summary>
    public static readonly Fe D2 = FromBigInteger(BigInteger.Parse("16295367250680780974490674513165176452449235426866156013048779062215315747161"));

    /// <summary>√−1 = 2^((p−1)/4).</summary>
    public static readonly Fe SqrtM1 = FromBigInteger(BigInteger.Parse("19681161376707505956807079304988542015446066515923890162744021073123829784752"));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe Add(in Fe a, in Fe b)
    {
        unchecked
        {
            Fe r;
            r.L0 = a.L0 + b.L0;
            r.L1 = a.L1 + b.L1;
            r.L2 = a.L2 + b.L2;
            r.L3 = a.L3 + b.L3;
            r.L4 = a.L4 + b.L4;
            return Carry(r);
        }
    }

    /// <summary>a + b without carrying: limbs may reach 2^53; fine as an input of Mul or Square.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe AddNoCarry(in Fe a, in Fe b)
    {
        unchecked
        {
            Fe r;
            r.L0 = a.L0 + b.L0;
            r.L1 = a.L1 + b.L1;
            r.L2 = a.L2 + b.L2;
            r.L3 = a.L3 + b.L3;
            r.L4 = a.L4 + b.L4;
            return r;
        }
    }

    /// <summary>a − b, computed as a + 4p − b so that no limb underflows (b's limbs below 2^53).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe Sub(in Fe a, in Fe b)
    {
        unchecked
        {
            Fe r;
            r.L0 = a.L0 + 0x1FFFFFFFFFFFB4UL - b.L0;
            r.L1 = a.L1 + 0x1FFFFFFFFFFFFCUL - b.L1;
            r.L2 = a.L2 + 0x1FFFFFFFFFFFFCUL - b.L2;
            r.L3 = a.L3 + 0x1FFFFFFFFFFFFCUL - b.L3;
            r.L4 = a.L4 + 0x1FFFFFFFFFFFFCUL - b.L4;
            return Carry(r);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe Negate(in Fe a) => Sub(Zero, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fe Carry(Fe r)
    {
        unchecked
        {
            ulong c;
            c = r.L0 >> 51; r.L0 &= Mask51; r.L1 += c;
            c = r.L1 >> 51; r.L1 &= Mask51; r.L2 += c;
            c = r.L2 >> 51; r.L2 &= Mask51; r.L3 += c;
            c = r.L3 >> 51; r.L3 &= Mask51; r.L4 += c;
            c = r.L4 >> 51; r.L4 &= Mask51; r.L0 += c * 19;
            return r;
        }
    }

    // Products are accumulated as (hi, lo) pairs of ulongs: lo with imul, hi with mulx (high half only), so that the JIT
    // keeps everything in registers (Math.BigMul's out parameter and UInt128 temporaries force stack spills).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Hi(ulong a, ulong b) =>
        System.Runtime.Intrinsics.X86.Bmi2.X64.IsSupported
            ? System.Runtime.Intrinsics.X86.Bmi2.X64.MultiplyNoFlags(a, b)
            : Math.BigMul(a, b, out _);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mac(ref ulong hi, ref ulong lo, ulong a, ulong b)
    {
        unchecked
        {
            var l = a * b;
            lo += l;
            hi += Hi(a, b) + (lo < l ? 1UL : 0UL);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fe Mul(in Fe a, in Fe b)
    {
        unchecked
        {
            ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4;
            ulong b0 = b.L0, b1 = b.L1, b2 = b.L2, b3 = b.L3, b4 = b.L4;

            ulong h0 = Hi(a0, b0), l0 = a0 * b0;
            Mac(ref h0, ref l0, a1, b4 * 19);
            Mac(ref h0, ref l0, a2, b3 * 19);
            Mac(ref h0, ref l0, a3, b2 * 19);
            Mac(ref h0, ref l0, a4, b1 * 19);

            ulong h1 = Hi(a0, b1), l1 = a0 * b1;
            Mac(ref h1, ref l1, a1, b0);
            Mac(ref h1, ref l1, a2, b4 * 19);
            Mac(ref h1, ref l1, a3, b3 * 19);
            Mac(ref h1, ref l1, a4, b2 * 19);

            ulong h2 = Hi(a0, b2), l2 = a0 * b2;
            Mac(ref h2, ref l2, a1, b1);
            Mac(ref h2, ref l2, a2, b0);
            Mac(ref h2, ref l2, a3, b4 * 19);
            Mac(ref h2, ref l2, a4, b3 * 19);

            ulong h3 = Hi(a0, b3), l3 = a0 * b3;
            Mac(ref h3, ref l3, a1, b2);
            Mac(ref h3, ref l3, a2, b1);
            Mac(ref h3, ref l3, a3, b0);
            Mac(ref h3, ref l3, a4, b4 * 19);

            ulong h4 = Hi(a0, b4), l4 = a0 * b4;
            Mac(ref h4, ref l4, a1, b3);
            Mac(ref h4, ref l4, a2, b2);
            Mac(ref h4, ref l4, a3, b1);
            Mac(ref h4, ref l4, a4, b0);

            return Reduce(h0, l0, h1, l1, h2, l2, h3, l3, h4, l4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fe Square(in Fe a)
    {
        unchecked
        {
            ulong a0 = a.L0, a1 = a.L1, a2 = a.L2, a3 = a.L3, a4 = a.L4;
            ulong d0 = a0 * 2, d1 = a1 * 2;

            // r0 = a0² + 38(a1a4 + a2a3), r1 = 2a0a1 + 19(2a2a4 + a3²), r2 = 2a0a2 + a1² + 38a3a4,
            // r3 = 2a0a3 + 2a1a2 + 19a4², r4 = 2a0a4 + 2a1a3 + a2²
            ulong h0 = Hi(a0, a0), l0 = a0 * a0;
            Mac(ref h0, ref l0, d1, a4 * 19);
            Mac(ref h0, ref l0, a2 * 2, a3 * 19);

            ulong h1 = Hi(d0, a1), l1 = d0 * a1;
            Mac(ref h1, ref l1, a2 * 2, a4 * 19);
            Mac(ref h1, ref l1, a3, a3 * 19);

            ulong h2 = Hi(d0, a2), l2 = d0 * a2;
            Mac(ref h2, ref l2, a1, a1);
            Mac(ref h2, ref l2, a3 * 38, a4);

            ulong h3 = Hi(d0, a3), l3 = d0 * a3;
            Mac(ref h3, ref l3, d1, a2);
            Mac(ref h3, ref l3, a4, a4 * 19);

            ulong h4 = Hi(d0, a4), l4 = d0 * a4;
            Mac(ref h4, ref l4, d1, a3);
            Mac(ref h4, ref l4, a2, a2);

            return Reduce(h0, l0, h1, l1, h2, l2, h3, l3, h4, l4);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fe Reduce(ulong h0, ulong l0, ulong h1, ulong l1, ulong h2, ulong l2, ulong h3, ulong l3, ulong h4, ulong l4)
    {
        unchecked
        {
            // Each column (h:l) is below 2^115. Carry 51 bits at a time; the top carry wraps with ×19.
            Fe r;
            r.L0 = l0 & Mask51;
            var c = (l0 >> 51) | (h0 << 13);
            l1 += c; h1 += l1 < c ? 1UL : 0UL;
            r.L1 = l1 & Mask51;
            c = (l1 >> 51) | (h1 << 13);
            l2 += c; h2 += l2 < c ? 1UL : 0UL;
            r.L2 = l2 & Mask51;
            c = (l2 >> 51) | (h2 << 13);
            l3 += c; h3 += l3 < c ? 1UL : 0UL;
            r.L3 = l3 & Mask51;
            c = (l3 >> 51) | (h3 << 13);
            l4 += c; h4 += l4 < c ? 1UL : 0UL;
            r.L4 = l4 & Mask51;
            c = (l4 >> 51) | (h4 << 13);
            r.L0 += c * 19;
            r.L1 += r.L0 >> 51;
            r.L0 &= Mask51;
            return r;
        }
    }

    /// <summary>Repeated squaring: a^(2^n).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fe SquareTimes(in Fe a, int n)
    {
        unchecked
        {
            var r = Square(a);
            for (var i = 1; i < n; i++)
            {
                r = Square(r);
            }
            return r;
        }
    }

    /// <summary>a^(2^250 − 1) and a^11, the common prefix of inversion and square root (the ref10 chain).</summary>
    private static void Pow2_250(in Fe z, out Fe z2_250_0, out Fe z11)
    {
        unchecked
        {
            var z2 = Square(z);
            var t = SquareTimes(z2, 2);
            var z9 = Mul(t, z);
            z11 = Mul(z9, z2);
            t = Square(z11);
            var z2_5_0 = Mul(t, z9);
            t = SquareTimes(z2_5_0, 5);
            var z2_10_0 = Mul(t, z2_5_0);
            t = SquareTimes(z2_10_0, 10);
            var z2_20_0 = Mul(t, z2_10_0);
            t = SquareTimes(z2_20_0, 20);
            t = Mul(t, z2_20_0);
            t = SquareTimes(t, 10);
            var z2_50_0 = Mul(t, z2_10_0);
            t = SquareTimes(z2_50_0, 50);
            var z2_100_0 = Mul(t, z2_50_0);
            t = SquareTimes(z2_100_0, 100);
            t = Mul(t, z2_100_0);
            t = SquareTimes(t, 50);
            z2_250_0 = Mul(t, z2_50_0);
        }
    }

    /// <summary>a^(p−2) = 1/a (0 for 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fe Invert(in Fe a)
    {
        unchecked
        {
            Pow2_250(a, out var t, out var z11);
            t = SquareTimes(t, 5);
            return Mul(t, z11);
        }
    }

    /// <summary>a^((p−5)/8) = a^(2^252 − 3), used by square roots.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fe Pow22523(in Fe a)
    {
        unchecked
        {
            Pow2_250(a, out var t, out _);
            t = SquareTimes(t, 2);
            return Mul(t, a);
        }
    }

    /// <summary>The canonical little-endian 32-byte encoding (value reduced below p).</summary>
    public readonly void ToBytes(Span<byte> output)
    {
        unchecked
        {
            var r = Carry(this);
            r = Carry(r);
            // Now r < 2^255 + small; subtract p if r ≥ p: compute q = (r + 19) >> 255.
            var q = (r.L0 + 19) >> 51;
            q = (r.L1 + q) >> 51;
            q = (r.L2 + q) >> 51;
            q = (r.L3 + q) >> 51;
            q = (r.L4 + q) >> 51;
            r.L0 += 19 * q;
            var c = r.L0 >> 51; r.L0 &= Mask51; r.L1 += c;
            c = r.L1 >> 51; r.L1 &= Mask51; r.L2 += c;
            c = r.L2 >> 51; r.L2 &= Mask51; r.L3 += c;
            c = r.L3 >> 51; r.L3 &= Mask51; r.L4 += c;
            r.L4 &= Mask51;
            var w0 = r.L0 | (r.L1 << 51);
            var w1 = (r.L1 >> 13) | (r.L2 << 38);
            var w2 = (r.L2 >> 26) | (r.L3 << 25);
            var w3 = (r.L3 >> 39) | (r.L4 << 12);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(output, w0);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(output[8..], w1);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(output[16..], w2);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(output[24..], w3);
        }
    }

    /// <summary>Reads 255 bits (bit 255 ignored) little-endian. The value may be ≥ p; callers that need canonical input check it.</summary>
    public static Fe FromBytes(ReadOnlySpan<byte> input)
    {
        unchecked
        {
            var w0 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(input);
            var w1 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(input[8..]);
            var w2 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(input[16..]);
            var w3 = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(input[24..]) & 0x7FFFFFFFFFFFFFFFUL;
            Fe r;
            r.L0 = w0 & Mask51;
            r.L1 = ((w0 >> 51) | (w1 << 13)) & Mask51;
            r.L2 = ((w1 >> 38) | (w2 << 26)) & Mask51;
            r.L3 = ((w2 >> 25) | (w3 << 39)) & Mask51;
            r.L4 = w3 >> 12;
            return r;
        }
    }

    public static Fe FromBigInteger(BigInteger value)
    {
        unchecked
        {
            Span<byte> bytes = stackalloc byte[32];
            bytes.Clear();
            ((value % P + P) % P).TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
            return FromBytes(bytes);
        }
    }

    public readonly BigInteger ToBigInteger()
    {
        unchecked
        {
            Span<byte> bytes = stackalloc byte[32];
            ToBytes(bytes);
            return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
        }
    }

    public readonly bool IsZero
    {
        get
        {
            Span<byte> b = stackalloc byte[32];
            ToBytes(b);
            foreach (var x in b)
            {
                if (x != 0)
                {
                    return false;
                }
            }
            return true;
        }
    }

    /// <summary>The low bit of the canonical value (RFC 8032: x is "negative" when odd).</summary>
    public readonly bool IsOdd
    {
        get
        {
            Span<byte> b = stackalloc byte[32];
            ToBytes(b);
            return (b[0] & 1) == 1;
        }
    }

    public static bool AreEqual(in Fe a, in Fe b) => Sub(a, b).IsZero;

    /// <summary>Constant-time select: b when flag is 1, a when 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe Select(in Fe a, in Fe b, ulong flag)
    {
        unchecked
        {
            var mask = 0UL - flag;
            Fe r;
            r.L0 = a.L0 ^ ((a.L0 ^ b.L0) & mask);
            r.L1 = a.L1 ^ ((a.L1 ^ b.L1) & mask);
            r.L2 = a.L2 ^ ((a.L2 ^ b.L2) & mask);
            r.L3 = a.L3 ^ ((a.L3 ^ b.L3) & mask);
            r.L4 = a.L4 ^ ((a.L4 ^ b.L4) & mask);
            return r;
        }
    }
}
