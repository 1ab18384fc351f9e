using System.Numerics;
using System.Runtime.CompilerServices;

namespace Socle.Modules.Voting.Crypto.Ed25519;

/// <summary>
/// A point of the twisted Edwards curve −x² + y² = 1 + d·x²·y² (edwards25519, RFC 7748/8032) in extended coordinates
/// (X:Y:Z:T) with x = X/Z, y = Y/Z, x·y = T/Z (Hisil–Wong–Carter–Dawson 2008).
/// </summary>
internal struct EdPoint
{
    public Fe X, Y, Z, T;

    public static readonly EdPoint Identity = new() { X = Fe.Zero, Y = Fe.One, Z = Fe.One, T = Fe.Zero };

    /// <summary>The base point g: y = 4/5, x even (RFC 8032 §5.1).</summary>
    public static readonly EdPoint BasePoint = FromAffine(
        Fe.FromBigInteger(BigInteger.Parse("15112221349535400772501151409588531511454012693041857206046113283949847762202")),
        Fe.FromBigInteger(BigInteger.Parse("46316835694926478169428394003475163141307993866256225615783033603165251855960")));

    public static EdPoint FromAffine(in Fe x, in Fe y) => new() { X = x, Y = y, Z = Fe.One, T = Fe.Mul(x, y) };

    /// <summary>Doubling, dbl-2008-hwcd with a = −1: 4M + 4S.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdPoint Double(in EdPoint p)
    {
        var a = Fe.Square(p.X);
        var b = Fe.Square(p.Y);
        var zz = Fe.Square(p.Z);
        var c = Fe.Add(zz, zz);
        var e = Fe.Sub(Fe.Sub(Fe.Square(Fe.AddNoCarry(p.X, p.Y)), a), b); // 2xy
        var g = Fe.Sub(b, a);                                               // D + B with D = −A
        var f = Fe.Sub(g, c);
        var h = Fe.Negate(Fe.Add(a, b));                                    // D − B
        EdPoint r;
        r.X = Fe.Mul(e, f);
        r.Y = Fe.Mul(g, h);
        r.T = Fe.Mul(e, h);
        r.Z = Fe.Mul(f, g);
        return r;
    }

    /// <summary>Doubling without the T coordinate (3M + 4S), for chains of doublings; T is garbage afterwards.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdPoint DoubleNoT(in EdPoint p)
    {
        var a = Fe.Square(p.X);
        var b = Fe.Square(p.Y);
        var zz = Fe.Square(p.Z);
        var c = Fe.Add(zz, zz);
        var e = Fe.Sub(Fe.Sub(Fe.Square(Fe.AddNoCarry(p.X, p.Y)), a), b);
        var g = Fe.Sub(b, a);
        var f = Fe.Sub(g, c);
        var h = Fe.Negate(Fe.Add(a, b));
        EdPoint r;
        r.X = Fe.Mul(e, f);
        r.Y = Fe.Mul(g, h);
        r.Z = Fe.Mul(f, g);
        r.T = default;
        return r;
    }

    /// <summary>p + q with q in cached form: 8M (add-2008-hwcd-3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdPoint Add(in EdPoint p, in CachedPoint q)
    {
        var a = Fe.Mul(Fe.Sub(p.Y, p.X), q.YMinusX);
        var b = Fe.Mul(Fe.AddNoCarry(p.Y, p.X), q.YPlusX);
        var c = Fe.Mul(p.T, q.T2d);
        var d = Fe.Mul(p.Z, q.Z2);
        var e = Fe.Sub(b, a);
        var f = Fe.Sub(d, c);
        var g = Fe.Add(d, c);
        var h = Fe.Add(b, a);
        EdPoint r;
        r.X = Fe.Mul(e, f);
        r.Y = Fe.Mul(g, h);
        r.T = Fe.Mul(e, h);
        r.Z = Fe.Mul(f, g);
        return r;
    }

    /// <summary>p − q with q in cached form.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdPoint Sub(in EdPoint p, in CachedPoint q) => Add(p, q.Negate());

    /// <summary>p + q with q in affine Niels form (Z = 1): 7M.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static EdPoint Add(in EdPoint p, in NielsPoint q)
    {
        var a = Fe.Mul(Fe.Sub(p.Y, p.X), q.YMinusX);
        var b = Fe.Mul(Fe.AddNoCarry(p.Y, p.X), q.YPlusX);
        var c = Fe.Mul(p.T, q.XY2d);
        var d = Fe.Add(p.Z, p.Z);
        var e = Fe.Sub(b, a);
        var f = Fe.Sub(d, c);
        var g = Fe.Add(d, c);
        var h = Fe.Add(b, a);
        EdPoint r;
        r.X = Fe.Mul(e, f);
        r.Y = Fe.Mul(g, h);
        r.T = Fe.Mul(e, h);
        r.Z = Fe.Mul(f, g);
        return r;
    }

    public static EdPoint Add(in EdPoint p, in EdPoint q) => Add(p, CachedPoint.From(q));

    public static EdPoint Negate(in EdPoint p) => new() { X = Fe.Negate(p.X), Y = p.Y, Z = p.Z, T = Fe.Negate(p.T) };

    /// <summary>Whether this is the neutral element (x = 0, y = 1): X = 0 and Y = Z.</summary>
    public readonly bool IsIdentity => X.IsZero && Fe.AreEqual(Y, Z);

    public static bool AreEqual(in EdPoint p, in EdPoint q) =>
        Fe.AreEqual(Fe.Mul(p.X, q.Z), Fe.Mul(q.X, p.Z)) && Fe.AreEqual(Fe.Mul(p.Y, q.Z), Fe.Mul(q.Y, p.Z));

    /// <summary>Affine coordinates, given 1/Z.</summary>
    public readonly void Encode(in Fe zInverse, Span<byte> output)
    {
        var x = Fe.Mul(X, zInverse);
        var y = Fe.Mul(Y, zInverse);
        y.ToBytes(output);
        if (x.IsOdd)
        {
            output[31] |= 0x80;
        }
    }

    /// <summary>RFC 8032 encoding: y little-endian, the sign of x in bit 255.</summary>
    public readonly void Encode(Span<byte> output) => Encode(Fe.Invert(Z), output);

    /// <summary>
    /// Decodes an RFC 8032 encoding. Fails when y ≥ p (non-canonical), when no x exists, or when x = 0 with the sign bit
    /// set (non-canonical). Does not check the subgroup.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryDecode(ReadOnlySpan<byte> input, out EdPoint point)
    {
        point = Identity;
        return StartDecode(input, out var d) && FinishDecode(d, Fe.Pow22523(d.W), out point);
    }

    /// <summary>
    /// <see cref="TryDecode"/> for many encodings (32 bytes each): the square roots, nearly all of the work, are
    /// computed eight at a time with AVX-512 when the processor has it. Same results, point by point.
    /// </summary>
    public static void TryDecodeMany(ReadOnlySpan<byte> inputs, Span<EdPoint> points, Span<bool> valid)
    {
        var n = inputs.Length / 32;
        Span<Decoding> pending = n <= 16 ? stackalloc Decoding[n] : new Decoding[n];
        for (var i = 0; i < n; i++)
        {
            valid[i] = StartDecode(inputs.Slice(32 * i, 32), out pending[i]);
            points[i] = Identity;
        }
        if (!Simd.Fe8.IsSupported)
        {
            for (var i = 0; i < n; i++)
            {
                valid[i] = valid[i] && FinishDecode(pending[i], Fe.Pow22523(pending[i].W), out points[i]);
            }
            return;
        }
        for (var start = 0; start < n; start += 8)
        {
            var w = default(Simd.Fe8);
            for (var l = 0; l < 8; l++)
            {
                w.SetLane(l, pending[Math.Min(start + l, n - 1)].W);
            }
            var t = Simd.Fe8.Pow22523(w);
            for (var l = 0; l < 8 && start + l < n; l++)
            {
                var i = start + l;
                valid[i] = valid[i] && FinishDecode(pending[i], t.GetLane(l), out points[i]);
            }
        }
    }

    /// <summary>A decoding in progress: y, u = y² − 1, v = d·y² + 1, v³, w = u·v⁷ (whose (p−5)/8-th power is next).</summary>
    private struct Decoding
    {
        public Fe Y, U, V, V3, W;
        public int Sign;
    }

    private static bool StartDecode(ReadOnlySpan<byte> input, out Decoding d)
    {
        d = default;
        if (input.Length != 32)
        {
            return false;
        }
        var y = Fe.FromBytes(input);
        Span<byte> canonical = stackalloc byte[32];
        y.ToBytes(canonical);
        for (var i = 0; i < 31; i++)
        {
            if (canonical[i] != input[i])
            {
                return false;
            }
        }
        if (canonical[31] != (input[31] & 0x7F))
        {
            return false;
        }
        var y2 = Fe.Square(y);
        d.Y = y;
        d.Sign = (input[31] >> 7) & 1;
        d.U = Fe.Sub(y2, Fe.One);                      // y² − 1
        d.V = Fe.Add(Fe.Mul(y2, Fe.D), Fe.One);       // d·y² + 1
        d.V3 = Fe.Mul(Fe.Square(d.V), d.V);
        var v7 = Fe.Mul(Fe.Square(d.V3), d.V);
        d.W = Fe.Mul(d.U, v7);
        return true;
    }

    /// <summary>x = u·v³·(u·v⁷)^((p−5)/8), given that power; then the checks of RFC 8032 §5.1.3.</summary>
    private static bool FinishDecode(in Decoding d, in Fe power, out EdPoint point)
    {
        point = Identity;
        var x = Fe.Mul(Fe.Mul(d.U, d.V3), power);
        var vx2 = Fe.Mul(d.V, Fe.Square(x));
        if (!Fe.AreEqual(vx2, d.U))
        {
            if (!Fe.AreEqual(vx2, Fe.Negate(d.U)))
            {
                return false;
            }
            x = Fe.Mul(x, Fe.SqrtM1);
        }
        if (x.IsZero && d.Sign == 1)
        {
            return false;
        }
        if ((x.IsOdd ? 1 : 0) != d.Sign)
        {
            x = Fe.Negate(x);
        }
        point = FromAffine(x, d.Y);
        return true;
    }

    /// <summary>Variable-time scalar multiplication (public data only), 4-bit signed window.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static EdPoint MultiplyVartime(in EdPoint p, ReadOnlySpan<sbyte> digits64)
    {
        Span<CachedPoint> multiples = stackalloc CachedPoint[9];
        multiples[1] = CachedPoint.From(p);
        var m = p;
        for (var i = 2; i <= 8; i++)
        {
            m = Add(m, multiples[1]);
            multiples[i] = CachedPoint.From(m);
        }
        var r = Identity;
        for (var i = 63; i >= 0; i--)
        {
            r = DoubleNoT(r);
            r = DoubleNoT(r);
            r = DoubleNoT(r);
            r = Double(r);
            var d = digits64[i];
            if (d > 0)
            {
                r = Add(r, multiples[d]);
            }
            else if (d < 0)
            {
                r = Add(r, multiples[-d].Negate());
            }
        }
        return r;
    }
}

/// <summary>A point prepared for addition: (Y+X, Y−X, 2Z, 2d·T).</summary>
internal struct CachedPoint
{
    public Fe YPlusX, YMinusX, Z2, T2d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CachedPoint From(in EdPoint p) => new()
    {
        YPlusX = Fe.Add(p.Y, p.X),
        YMinusX = Fe.Sub(p.Y, p.X),
        Z2 = Fe.Add(p.Z, p.Z),
        T2d = Fe.Mul(p.T, Fe.D2),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly CachedPoint Negate() => new() { YPlusX = YMinusX, YMinusX = YPlusX, Z2 = Z2, T2d = Fe.Negate(T2d) };

    /// <summary>Constant-time conditional negation (flag 1 negates).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly CachedPoint ConditionalNegate(ulong flag) => new()
    {
        YPlusX = Fe.Select(YPlusX, YMinusX, flag),
        YMinusX = Fe.Select(YMinusX, YPlusX, flag),
        Z2 = Z2,
        T2d = Fe.Select(T2d, Fe.Negate(T2d), flag),
    };

    public static readonly CachedPoint Identity = From(EdPoint.Identity);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CachedPoint Select(in CachedPoint a, in CachedPoint b, ulong flag) => new()
    {
        YPlusX = Fe.Select(a.YPlusX, b.YPlusX, flag),
        YMinusX = Fe.Select(a.YMinusX, b.YMinusX, flag),
        Z2 = Fe.Select(a.Z2, b.Z2, flag),
        T2d = Fe.Select(a.T2d, b.T2d, flag),
    };
}

/// <summary>An affine point prepared for mixed addition: (y+x, y−x, 2d·x·y).</summary>
internal struct NielsPoint
{
    public Fe YPlusX, YMinusX, XY2d;

    public static NielsPoint FromAffine(in Fe x, in Fe y) => new()
    {
        YPlusX = Fe.Add(y, x),
        YMinusX = Fe.Sub(y, x),
        XY2d = Fe.Mul(Fe.Mul(x, y), Fe.D2),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly NielsPoint Negate() => new() { YPlusX = YMinusX, YMinusX = YPlusX, XY2d = Fe.Negate(XY2d) };
}
