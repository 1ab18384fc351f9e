using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using VU = System.Runtime.Intrinsics.Vector512<ulong>;

namespace Socle.Modules.Voting.Crypto.Ed25519.Simd;

/// <summary>
/// Eight elements of F_p (p = 2^255 − 19) processed in lockstep with AVX-512: ten limbs in radix 2^25.5 (26, 25, 26,
/// 25 … bits, as in the ref10 implementation), each limb a vector of 8 lanes of 64 bits. Products use
/// <c>vpmuludq</c> (32×32 → 64 bits), so every multiplication input must stay below 2^32 per limb: inputs are
/// carried values (limbs ≤ ~2^26) or one lazy sum or difference of two of them.
/// </summary>
internal struct Fe8
{
    public VU F0, F1, F2, F3, F4, F5, F6, F7, F8, F9;

    private static readonly VU Mask26 = Vector512.Create((1UL << 26) - 1);
    private static readonly VU Mask25 = Vector512.Create((1UL << 25) - 1);
    private static readonly VU Nineteen = Vector512.Create(19UL);

    // 4p limb by limb (so that a − b + 4p never goes below zero for carried b)
    private static readonly VU FourP0 = Vector512.Create(4 * ((1UL << 26) - 19));
    private static readonly VU FourPEven = Vector512.Create(4 * ((1UL << 26) - 1));
    private static readonly VU FourPOdd = Vector512.Create(4 * ((1UL << 25) - 1));

    // 2p limb by limb, for the lazy difference
    private static readonly VU TwoP0 = Vector512.Create(2 * ((1UL << 26) - 19));
    private static readonly VU TwoPEven = Vector512.Create(2 * ((1UL << 26) - 1));
    private static readonly VU TwoPOdd = Vector512.Create(2 * ((1UL << 25) - 1));

    public static bool IsSupported => Avx512F.IsSupported && Avx2.IsSupported && Vector512.IsHardwareAccelerated;

    public static Fe8 Broadcast(in Fe a)
    {
        Split(a, out var l);
        return new Fe8
        {
            F0 = Vector512.Create(l[0]), F1 = Vector512.Create(l[1]), F2 = Vector512.Create(l[2]), F3 = Vector512.Create(l[3]), F4 = Vector512.Create(l[4]),
            F5 = Vector512.Create(l[5]), F6 = Vector512.Create(l[6]), F7 = Vector512.Create(l[7]), F8 = Vector512.Create(l[8]), F9 = Vector512.Create(l[9]),
        };
    }

    public static readonly Fe8 Zero;
    public static readonly Fe8 One = Broadcast(Fe.One);
    public static readonly Fe8 D2 = Broadcast(Fe.D2);

    /// <summary>The ten radix-2^25.5 limbs of a (reduced) field element.</summary>
    public static void Split(in Fe a, out InlineArray10 limbs)
    {
        Span<byte> b = stackalloc byte[32];
        a.ToBytes(b);
        var r = Fe.FromBytes(b);
        limbs = default;
        limbs[0] = r.L0 & ((1UL << 26) - 1);
        limbs[1] = r.L0 >> 26;
        limbs[2] = r.L1 & ((1UL << 26) - 1);
        limbs[3] = r.L1 >> 26;
        limbs[4] = r.L2 & ((1UL << 26) - 1);
        limbs[5] = r.L2 >> 26;
        limbs[6] = r.L3 & ((1UL << 26) - 1);
        limbs[7] = r.L3 >> 26;
        limbs[8] = r.L4 & ((1UL << 26) - 1);
        limbs[9] = r.L4 >> 26;
    }

    public void SetLane(int lane, in Fe a)
    {
        Split(a, out var l);
        F0 = F0.WithElement(lane, l[0]);
        F1 = F1.WithElement(lane, l[1]);
        F2 = F2.WithElement(lane, l[2]);
        F3 = F3.WithElement(lane, l[3]);
        F4 = F4.WithElement(lane, l[4]);
        F5 = F5.WithElement(lane, l[5]);
        F6 = F6.WithElement(lane, l[6]);
        F7 = F7.WithElement(lane, l[7]);
        F8 = F8.WithElement(lane, l[8]);
        F9 = F9.WithElement(lane, l[9]);
    }

    /// <summary>Lane <paramref name="lane"/> as a radix-2^51 element (pairs of limbs join exactly: 26 + 25 = 51 bits).</summary>
    public readonly Fe GetLane(int lane)
    {
        var c = Carry(F0, F1, F2, F3, F4, F5, F6, F7, F8, F9);
        Fe r;
        r.L0 = c.F0.GetElement(lane) + (c.F1.GetElement(lane) << 26);
        r.L1 = c.F2.GetElement(lane) + (c.F3.GetElement(lane) << 26);
        r.L2 = c.F4.GetElement(lane) + (c.F5.GetElement(lane) << 26);
        r.L3 = c.F6.GetElement(lane) + (c.F7.GetElement(lane) << 26);
        r.L4 = c.F8.GetElement(lane) + (c.F9.GetElement(lane) << 26);
        return r;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static VU M(VU a, VU b) => Avx512F.Multiply(a.AsUInt32(), b.AsUInt32());

    /// <summary>19·a for any a (vpmuludq would only see its low 32 bits).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static VU Times19(VU a) => a + (a << 1) + (a << 4);

    /// <summary>a + b, carried.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe8 Add(in Fe8 a, in Fe8 b) =>
        Carry(a.F0 + b.F0, a.F1 + b.F1, a.F2 + b.F2, a.F3 + b.F3, a.F4 + b.F4, a.F5 + b.F5, a.F6 + b.F6, a.F7 + b.F7, a.F8 + b.F8, a.F9 + b.F9);

    /// <summary>a − b + 4p, carried (b carried).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe8 Sub(in Fe8 a, in Fe8 b) =>
        Carry(a.F0 + FourP0 - b.F0, a.F1 + FourPOdd - b.F1, a.F2 + FourPEven - b.F2, a.F3 + FourPOdd - b.F3, a.F4 + FourPEven - b.F4,
            a.F5 + FourPOdd - b.F5, a.F6 + FourPEven - b.F6, a.F7 + FourPOdd - b.F7, a.F8 + FourPEven - b.F8, a.F9 + FourPOdd - b.F9);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe8 Negate(in Fe8 a) => Sub(Zero, a);

    // The lazy forms skip the carry: their result may only be a factor of Mul or Square (or be swapped or selected
    // on the way there). With carried inputs (limbs ≤ 2^26 even, ≤ 2^25 + 2^18 odd) a lazy sum has limbs ≤ 2^27 and a
    // lazy difference ≤ 3·2^26, so the factors of the products stay below 2^32 (19 · 3·2^26 < 2^31.9) and every
    // column sum below 2^63. About six carries are saved per point doubling and per addition.

    /// <summary>a + b without carrying (a and b carried).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe8 AddLazy(in Fe8 a, in Fe8 b) => new()
    {
        F0 = a.F0 + b.F0, F1 = a.F1 + b.F1, F2 = a.F2 + b.F2, F3 = a.F3 + b.F3, F4 = a.F4 + b.F4,
        F5 = a.F5 + b.F5, F6 = a.F6 + b.F6, F7 = a.F7 + b.F7, F8 = a.F8 + b.F8, F9 = a.F9 + b.F9,
    };

    /// <summary>a − b + 2p without carrying (a and b carried: b's limbs are below 2p's, so none goes negative).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe8 SubLazy(in Fe8 a, in Fe8 b) => new()
    {
        F0 = a.F0 + TwoP0 - b.F0, F1 = a.F1 + TwoPOdd - b.F1, F2 = a.F2 + TwoPEven - b.F2, F3 = a.F3 + TwoPOdd - b.F3,
        F4 = a.F4 + TwoPEven - b.F4, F5 = a.F5 + TwoPOdd - b.F5, F6 = a.F6 + TwoPEven - b.F6, F7 = a.F7 + TwoPOdd - b.F7,
        F8 = a.F8 + TwoPEven - b.F8, F9 = a.F9 + TwoPOdd - b.F9,
    };

    /// <summary>−a without carrying (a carried).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe8 NegateLazy(in Fe8 a) => SubLazy(Zero, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Fe8 Select(VU mask, in Fe8 whenTrue, in Fe8 whenFalse) => new()
    {
        F0 = Vector512.ConditionalSelect(mask, whenTrue.F0, whenFalse.F0),
        F1 = Vector512.ConditionalSelect(mask, whenTrue.F1, whenFalse.F1),
        F2 = Vector512.ConditionalSelect(mask, whenTrue.F2, whenFalse.F2),
        F3 = Vector512.ConditionalSelect(mask, whenTrue.F3, whenFalse.F3),
        F4 = Vector512.ConditionalSelect(mask, whenTrue.F4, whenFalse.F4),
        F5 = Vector512.ConditionalSelect(mask, whenTrue.F5, whenFalse.F5),
        F6 = Vector512.ConditionalSelect(mask, whenTrue.F6, whenFalse.F6),
        F7 = Vector512.ConditionalSelect(mask, whenTrue.F7, whenFalse.F7),
        F8 = Vector512.ConditionalSelect(mask, whenTrue.F8, whenFalse.F8),
        F9 = Vector512.ConditionalSelect(mask, whenTrue.F9, whenFalse.F9),
    };

    /// <summary>Schoolbook product with the ref10 layout: odd×odd limbs doubled, wrap-around terms ×19.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fe8 Mul(in Fe8 f, in Fe8 g)
    {
        VU f0 = f.F0, f1 = f.F1, f2 = f.F2, f3 = f.F3, f4 = f.F4, f5 = f.F5, f6 = f.F6, f7 = f.F7, f8 = f.F8, f9 = f.F9;
        VU g0 = g.F0, g1 = g.F1, g2 = g.F2, g3 = g.F3, g4 = g.F4, g5 = g.F5, g6 = g.F6, g7 = g.F7, g8 = g.F8, g9 = g.F9;
        VU g1_19 = M(g1, Nineteen), g2_19 = M(g2, Nineteen), g3_19 = M(g3, Nineteen), g4_19 = M(g4, Nineteen), g5_19 = M(g5, Nineteen),
            g6_19 = M(g6, Nineteen), g7_19 = M(g7, Nineteen), g8_19 = M(g8, Nineteen), g9_19 = M(g9, Nineteen);
        VU f1_2 = f1 + f1, f3_2 = f3 + f3, f5_2 = f5 + f5, f7_2 = f7 + f7, f9_2 = f9 + f9;
        var h0 = M(f0, g0) + M(f1_2, g9_19) + M(f2, g8_19) + M(f3_2, g7_19) + M(f4, g6_19) + M(f5_2, g5_19) + M(f6, g4_19) + M(f7_2, g3_19) + M(f8, g2_19) + M(f9_2, g1_19);
        var h1 = M(f0, g1) + M(f1, g0) + M(f2, g9_19) + M(f3, g8_19) + M(f4, g7_19) + M(f5, g6_19) + M(f6, g5_19) + M(f7, g4_19) + M(f8, g3_19) + M(f9, g2_19);
        var h2 = M(f0, g2) + M(f1_2, g1) + M(f2, g0) + M(f3_2, g9_19) + M(f4, g8_19) + M(f5_2, g7_19) + M(f6, g6_19) + M(f7_2, g5_19) + M(f8, g4_19) + M(f9_2, g3_19);
        var h3 = M(f0, g3) + M(f1, g2) + M(f2, g1) + M(f3, g0) + M(f4, g9_19) + M(f5, g8_19) + M(f6, g7_19) + M(f7, g6_19) + M(f8, g5_19) + M(f9, g4_19);
        var h4 = M(f0, g4) + M(f1_2, g3) + M(f2, g2) + M(f3_2, g1) + M(f4, g0) + M(f5_2, g9_19) + M(f6, g8_19) + M(f7_2, g7_19) + M(f8, g6_19) + M(f9_2, g5_19);
        var h5 = M(f0, g5) + M(f1, g4) + M(f2, g3) + M(f3, g2) + M(f4, g1) + M(f5, g0) + M(f6, g9_19) + M(f7, g8_19) + M(f8, g7_19) + M(f9, g6_19);
        var h6 = M(f0, g6) + M(f1_2, g5) + M(f2, g4) + M(f3_2, g3) + M(f4, g2) + M(f5_2, g1) + M(f6, g0) + M(f7_2, g9_19) + M(f8, g8_19) + M(f9_2, g7_19);
        var h7 = M(f0, g7) + M(f1, g6) + M(f2, g5) + M(f3, g4) + M(f4, g3) + M(f5, g2) + M(f6, g1) + M(f7, g0) + M(f8, g9_19) + M(f9, g8_19);
        var h8 = M(f0, g8) + M(f1_2, g7) + M(f2, g6) + M(f3_2, g5) + M(f4, g4) + M(f5_2, g3) + M(f6, g2) + M(f7_2, g1) + M(f8, g0) + M(f9_2, g9_19);
        var h9 = M(f0, g9) + M(f1, g8) + M(f2, g7) + M(f3, g6) + M(f4, g5) + M(f5, g4) + M(f6, g3) + M(f7, g2) + M(f8, g1) + M(f9, g0);
        return Carry(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
    }

    /// <summary>Squaring (the ref10 fe_sq layout, 55 products). The input must be carried.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fe8 Square(in Fe8 f)
    {
        VU f0 = f.F0, f1 = f.F1, f2 = f.F2, f3 = f.F3, f4 = f.F4, f5 = f.F5, f6 = f.F6, f7 = f.F7, f8 = f.F8, f9 = f.F9;
        VU f0_2 = f0 + f0, f1_2 = f1 + f1, f2_2 = f2 + f2, f3_2 = f3 + f3, f4_2 = f4 + f4, f5_2 = f5 + f5, f6_2 = f6 + f6, f7_2 = f7 + f7;
        var n38 = Vector512.Create(38UL);
        VU f5_38 = M(f5, n38), f6_19 = M(f6, Nineteen), f7_38 = M(f7, n38), f8_19 = M(f8, Nineteen), f9_38 = M(f9, n38);
        var h0 = M(f0, f0) + M(f1_2, f9_38) + M(f2_2, f8_19) + M(f3_2, f7_38) + M(f4_2, f6_19) + M(f5, f5_38);
        var h1 = M(f0_2, f1) + M(f2, f9_38) + M(f3_2, f8_19) + M(f4, f7_38) + M(f5_2, f6_19);
        var h2 = M(f0_2, f2) + M(f1_2, f1) + M(f3_2, f9_38) + M(f4_2, f8_19) + M(f5_2, f7_38) + M(f6, f6_19);
        var h3 = M(f0_2, f3) + M(f1_2, f2) + M(f4, f9_38) + M(f5_2, f8_19) + M(f6, f7_38);
        var h4 = M(f0_2, f4) + M(f1_2, f3_2) + M(f2, f2) + M(f5_2, f9_38) + M(f6_2, f8_19) + M(f7, f7_38);
        var h5 = M(f0_2, f5) + M(f1_2, f4) + M(f2_2, f3) + M(f6, f9_38) + M(f7_2, f8_19);
        var h6 = M(f0_2, f6) + M(f1_2, f5_2) + M(f2_2, f4) + M(f3_2, f3) + M(f7_2, f9_38) + M(f8, f8_19);
        var h7 = M(f0_2, f7) + M(f1_2, f6) + M(f2_2, f5) + M(f3_2, f4) + M(f8, f9_38);
        var h8 = M(f0_2, f8) + M(f1_2, f7_2) + M(f2_2, f6) + M(f3_2, f5_2) + M(f4, f4) + M(f9, f9_38);
        var h9 = M(f0_2, f9) + M(f1_2, f8) + M(f2_2, f7) + M(f3_2, f6) + M(f4_2, f5);
        return Carry(h0, h1, h2, h3, h4, h5, h6, h7, h8, h9);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fe8 Carry(VU h0, VU h1, VU h2, VU h3, VU h4, VU h5, VU h6, VU h7, VU h8, VU h9)
    {
        h1 += h0 >>> 26; h0 &= Mask26;
        h5 += h4 >>> 26; h4 &= Mask26;
        h2 += h1 >>> 25; h1 &= Mask25;
        h6 += h5 >>> 25; h5 &= Mask25;
        h3 += h2 >>> 26; h2 &= Mask26;
        h7 += h6 >>> 26; h6 &= Mask26;
        h4 += h3 >>> 25; h3 &= Mask25;
        h8 += h7 >>> 25; h7 &= Mask25;
        h5 += h4 >>> 26; h4 &= Mask26;
        h9 += h8 >>> 26; h8 &= Mask26;
        // c9 can exceed 32 bits when the factors were lazy sums: 19·c9 by shifts, not by vpmuludq.
        var c9 = h9 >>> 25;
        h9 &= Mask25;
        h0 += Times19(c9);
        h1 += h0 >>> 26;
        h0 &= Mask26;
        return new Fe8 { F0 = h0, F1 = h1, F2 = h2, F3 = h3, F4 = h4, F5 = h5, F6 = h6, F7 = h7, F8 = h8, F9 = h9 };
    }

    public static Fe8 SquareTimes(in Fe8 a, int n)
    {
        var r = Square(a);
        for (var i = 1; i < n; i++)
        {
            r = Square(r);
        }
        return r;
    }

    /// <summary>1/a in each lane (a^(p−2), the ref10 chain).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fe8 Invert(in Fe8 z)
    {
        var t = Pow2_250(z, out var z11);
        return Mul(SquareTimes(t, 5), z11);
    }

    /// <summary>a^((p−5)/8) in each lane, for square roots (point decoding).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Fe8 Pow22523(in Fe8 z) => Mul(SquareTimes(Pow2_250(z, out _), 2), z);

    /// <summary>z^(2^250 − 1), and z^11 on the way (the common prefix of both chains).</summary>
    private static Fe8 Pow2_250(in Fe8 z, out Fe8 z11)
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
        return Mul(t, z2_50_0);
    }
}

/// <summary>Ten ulongs on the stack.</summary>
[InlineArray(10)]
internal struct InlineArray10
{
    private ulong _element0;
}
