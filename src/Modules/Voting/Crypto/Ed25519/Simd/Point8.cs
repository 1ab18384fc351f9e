using System.Runtime.CompilerServices;
using VU = System.Runtime.Intrinsics.Vector512<ulong>;

namespace Socle.Modules.Voting.Crypto.Ed25519.Simd;

/// <summary>Eight edwards25519 points in extended coordinates, one per lane (the formulas of <see cref="EdPoint"/>).</summary>
internal struct Point8
{
    public Fe8 X, Y, Z, T;

    public static readonly Point8 Identity = new() { X = Fe8.Zero, Y = Fe8.One, Z = Fe8.One, T = Fe8.Zero };

    public void SetLane(int lane, in EdPoint p)
    {
        X.SetLane(lane, p.X);
        Y.SetLane(lane, p.Y);
        Z.SetLane(lane, p.Z);
        T.SetLane(lane, p.T);
    }

    public readonly EdPoint GetLane(int lane) => new() { X = X.GetLane(lane), Y = Y.GetLane(lane), Z = Z.GetLane(lane), T = T.GetLane(lane) };

    /// <summary>r = r + q in place, q cached: add-2008-hwcd-3.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(ref Point8 r, in Cached8 q)
    {
        var a = Fe8.Mul(Fe8.SubLazy(r.Y, r.X), q.YMinusX);
        var b = Fe8.Mul(Fe8.AddLazy(r.Y, r.X), q.YPlusX);
        var c = Fe8.Mul(r.T, q.T2d);
        var d = Fe8.Mul(r.Z, q.Z2);
        var e = Fe8.SubLazy(b, a);
        var f = Fe8.SubLazy(d, c);
        var g = Fe8.AddLazy(d, c);
        var h = Fe8.AddLazy(b, a);
        r.X = Fe8.Mul(e, f);
        r.Y = Fe8.Mul(g, h);
        r.T = Fe8.Mul(e, h);
        r.Z = Fe8.Mul(f, g);
    }

    /// <summary>r = r + q in place, q affine Niels (Z = 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(ref Point8 r, in Niels8 q)
    {
        var a = Fe8.Mul(Fe8.SubLazy(r.Y, r.X), q.YMinusX);
        var b = Fe8.Mul(Fe8.AddLazy(r.Y, r.X), q.YPlusX);
        var c = Fe8.Mul(r.T, q.XY2d);
        var d = Fe8.Add(r.Z, r.Z); // carried: it is the first operand of a lazy difference
        var e = Fe8.SubLazy(b, a);
        var f = Fe8.SubLazy(d, c);
        var g = Fe8.AddLazy(d, c);
        var h = Fe8.AddLazy(b, a);
        r.X = Fe8.Mul(e, f);
        r.Y = Fe8.Mul(g, h);
        r.T = Fe8.Mul(e, h);
        r.Z = Fe8.Mul(f, g);
    }

    /// <summary>r = 2r in place, dbl-2008-hwcd with a = −1; T kept only when asked (otherwise garbage).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DoubleInPlace(ref Point8 r, bool withT)
    {
        var a = Fe8.Square(r.X);
        var b = Fe8.Square(r.Y);
        var zz = Fe8.Square(r.Z);
        var s = Fe8.Add(a, b);
        var e = Fe8.SubLazy(Fe8.Square(Fe8.AddLazy(r.X, r.Y)), s);
        var g = Fe8.SubLazy(b, a);
        var f = Fe8.SubLazy(b, Fe8.Add(a, Fe8.AddLazy(zz, zz))); // g − 2·Z²
        var h = Fe8.NegateLazy(s);
        r.X = Fe8.Mul(e, f);
        r.Y = Fe8.Mul(g, h);
        r.Z = Fe8.Mul(f, g);
        if (withT)
        {
            r.T = Fe8.Mul(e, h);
        }
    }

    /// <summary>dst = src where the mask is set (lane by lane), in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void CopyWhere(VU mask, in Point8 src, ref Point8 dst)
    {
        SelectInto(mask, src.X, ref dst.X);
        SelectInto(mask, src.Y, ref dst.Y);
        SelectInto(mask, src.Z, ref dst.Z);
        SelectInto(mask, src.T, ref dst.T);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SelectInto(VU mask, in Fe8 src, ref Fe8 dst)
    {
        dst.F0 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(mask, src.F0, dst.F0);
        dst.F1 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(mask, src.F1, dst.F1);
        dst.F2 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(mask, src.F2, dst.F2);
        dst.F3 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(mask, src.F3, dst.F3);
        dst.F4 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(mask, src.F4, dst.F4);
        dst.F5 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(mask, src.F5, dst.F5);
        dst.F6 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(mask, src.F6, dst.F6);
        dst.F7 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(mask, src.F7, dst.F7);
        dst.F8 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(mask, src.F8, dst.F8);
        dst.F9 = System.Runtime.Intrinsics.Vector512.ConditionalSelect(mask, src.F9, dst.F9);
    }
}

/// <summary>Eight points prepared for addition: (Y+X, Y−X, 2Z, 2d·T), the first three (and a negated T) lazy, so only
/// factors of a product.</summary>
internal struct Cached8
{
    public Fe8 YPlusX, YMinusX, Z2, T2d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Cached8 From(in Point8 p) => new()
    {
        YPlusX = Fe8.AddLazy(p.Y, p.X),
        YMinusX = Fe8.SubLazy(p.Y, p.X),
        Z2 = Fe8.AddLazy(p.Z, p.Z),
        T2d = Fe8.Mul(p.T, Fe8.D2),
    };

    /// <summary>−q where the mask is set, q elsewhere.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Cached8 NegateWhere(VU mask) => new()
    {
        YPlusX = Fe8.Select(mask, YMinusX, YPlusX),
        YMinusX = Fe8.Select(mask, YPlusX, YMinusX),
        Z2 = Z2,
        T2d = Fe8.Select(mask, Fe8.NegateLazy(T2d), T2d),
    };
}

/// <summary>Eight affine points prepared for mixed addition: (y+x, y−x, 2d·x·y).</summary>
internal struct Niels8
{
    public Fe8 YPlusX, YMinusX, XY2d;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly Niels8 NegateWhere(VU mask) => new()
    {
        YPlusX = Fe8.Select(mask, YMinusX, YPlusX),
        YMinusX = Fe8.Select(mask, YPlusX, YMinusX),
        XY2d = Fe8.Select(mask, Fe8.NegateLazy(XY2d), XY2d),
    };
}
