using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using VL = System.Runtime.Intrinsics.Vector512<long>;
using VU = System.Runtime.Intrinsics.Vector512<ulong>;

namespace Socle.Modules.Voting.Crypto.Ed25519.Simd;

/// <summary>
/// A fixed-base table laid out for 8-lane lookups: entry (i, j) = j·2^(w·i)·B as ten-limb affine Niels coordinates,
/// j = 0 … 2^(w−1) (j = 0 the identity, so that a zero digit needs no special case), 32 longs per entry. Each lane's
/// entry is read with four contiguous loads and the eight rows are transposed in registers into limb vectors
/// (gather instructions cost several times more on the processors measured).
/// </summary>
internal sealed unsafe class FixedTable8
{
    private const int EntryLongs = 32;
    private readonly long[] _data;
    private readonly int _window;
    private readonly int _stride;

    public FixedTable8(FixedBaseTable table)
    {
        _window = table.Window;
        Positions = table.Positions;
        _stride = table.Half + 1;
        _data = GC.AllocateArray<long>(Positions * _stride * EntryLongs, pinned: true);
        for (var i = 0; i < Positions; i++)
        {
            for (var j = 0; j < _stride; j++)
            {
                var n = j == 0 ? new NielsPoint { YPlusX = Fe.One, YMinusX = Fe.One, XY2d = Fe.Zero } : table.Entry(i, j);
                var at = ((i * _stride) + j) * EntryLongs;
                Store(n.YPlusX, at);
                Store(n.YMinusX, at + 10);
                Store(n.XY2d, at + 20);
            }
        }
    }

    public int Positions { get; }

    public int Window => _window;

    private void Store(in Fe a, int at)
    {
        Fe8.Split(a, out var limbs);
        for (var k = 0; k < 10; k++)
        {
            _data[at + k] = (long)limbs[k];
        }
    }

    /// <summary>
    /// acc += k_l·B in each lane l, for signed radix-2^w digits given position-major: digits[i·8 + l].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddMultiple(ref Point8 acc, ReadOnlySpan<long> digits)
    {
        // Each position's entry offsets are computed once, a position ahead, and its entries prefetched then: a table
        // (1 MB for w = 8) does not stay in cache.
        var current = stackalloc long[8];
        var next = stackalloc long[8];
        Unsafe.SkipInit(out Niels8 entry);
        fixed (long* data = _data)
        fixed (long* d = digits)
        {
            Offsets(d, 0, current);
            for (var i = 0; i < Positions; i++)
            {
                if (i + 1 < Positions)
                {
                    Offsets(d, i + 1, next);
                    for (var l = 0; l < 8; l++)
                    {
                        var at = (byte*)(data + next[l]);
                        Sse.Prefetch0(at);
                        Sse.Prefetch0(at + 64);
                        Sse.Prefetch0(at + 128);
                        Sse.Prefetch0(at + 192);
                    }
                }
                var dv = Vector512.Load(d + (i * 8));
                if (dv != VL.Zero)
                {
                    Load(data, current, ref entry);
                    Point8.AddTo(ref acc, entry.NegateWhere(Vector512.LessThan(dv, VL.Zero).AsUInt64()));
                }
                var done = current;
                current = next;
                next = done;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Offsets(long* digits, int i, long* offsets) =>
        ((Vector512.Abs(Vector512.Load(digits + (i * 8))) + Vector512.Create((long)(i * _stride))) * EntryLongs).Store(offsets);

    /// <summary>The eight lanes' entries (rows of 32 longs) transposed into the 30 limb vectors of a Niels8.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load(long* data, long* offsets, ref Niels8 entry)
    {
        var columns = (VU*)Unsafe.AsPointer(ref entry);
        ulong* r0 = (ulong*)(data + offsets[0]), r1 = (ulong*)(data + offsets[1]), r2 = (ulong*)(data + offsets[2]), r3 = (ulong*)(data + offsets[3]),
            r4 = (ulong*)(data + offsets[4]), r5 = (ulong*)(data + offsets[5]), r6 = (ulong*)(data + offsets[6]), r7 = (ulong*)(data + offsets[7]);
        for (var block = 0; block < 4; block++)
        {
            var at = block * 8;
            Transpose(Vector512.Load(r0 + at), Vector512.Load(r1 + at), Vector512.Load(r2 + at), Vector512.Load(r3 + at),
                Vector512.Load(r4 + at), Vector512.Load(r5 + at), Vector512.Load(r6 + at), Vector512.Load(r7 + at),
                columns + at, block < 3 ? 8 : 6);
        }
    }

    private static readonly VU PairsLow = Vector512.Create(0UL, 1, 8, 9, 4, 5, 12, 13);
    private static readonly VU PairsHigh = Vector512.Create(2UL, 3, 10, 11, 6, 7, 14, 15);
    private static readonly VU HalvesLow = Vector512.Create(0UL, 1, 2, 3, 8, 9, 10, 11);
    private static readonly VU HalvesHigh = Vector512.Create(4UL, 5, 6, 7, 12, 13, 14, 15);

    /// <summary>Columns 0 … count−1 of the 8×8 matrix whose rows are r0 … r7 (three rounds of shuffles).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(VU r0, VU r1, VU r2, VU r3, VU r4, VU r5, VU r6, VU r7, VU* columns, int count)
    {
        // t0 = (r0₀ r1₀ r0₂ r1₂ r0₄ r1₄ r0₆ r1₆), t1 the odd columns, and so on for each pair of rows
        VU t0 = Avx512F.UnpackLow(r0, r1), t1 = Avx512F.UnpackHigh(r0, r1), t2 = Avx512F.UnpackLow(r2, r3), t3 = Avx512F.UnpackHigh(r2, r3);
        VU t4 = Avx512F.UnpackLow(r4, r5), t5 = Avx512F.UnpackHigh(r4, r5), t6 = Avx512F.UnpackLow(r6, r7), t7 = Avx512F.UnpackHigh(r6, r7);
        // u0 = (column 0 of rows 0-3, column 4 of rows 0-3), u1 columns 2 and 6, u2 columns 1 and 5, u3 columns 3 and 7
        VU u0 = Avx512F.PermuteVar8x64x2(t0, PairsLow, t2), u1 = Avx512F.PermuteVar8x64x2(t0, PairsHigh, t2);
        VU u2 = Avx512F.PermuteVar8x64x2(t1, PairsLow, t3), u3 = Avx512F.PermuteVar8x64x2(t1, PairsHigh, t3);
        VU u4 = Avx512F.PermuteVar8x64x2(t4, PairsLow, t6), u5 = Avx512F.PermuteVar8x64x2(t4, PairsHigh, t6);
        VU u6 = Avx512F.PermuteVar8x64x2(t5, PairsLow, t7), u7 = Avx512F.PermuteVar8x64x2(t5, PairsHigh, t7);
        columns[0] = Avx512F.PermuteVar8x64x2(u0, HalvesLow, u4);
        columns[1] = Avx512F.PermuteVar8x64x2(u2, HalvesLow, u6);
        columns[2] = Avx512F.PermuteVar8x64x2(u1, HalvesLow, u5);
        columns[3] = Avx512F.PermuteVar8x64x2(u3, HalvesLow, u7);
        columns[4] = Avx512F.PermuteVar8x64x2(u0, HalvesHigh, u4);
        columns[5] = Avx512F.PermuteVar8x64x2(u2, HalvesHigh, u6);
        if (count > 6)
        {
            columns[6] = Avx512F.PermuteVar8x64x2(u1, HalvesHigh, u5);
            columns[7] = Avx512F.PermuteVar8x64x2(u3, HalvesHigh, u7);
        }
    }
}

/// <summary>
/// The verification engine for eight commitment batches of identical shape at once (eight ballots of one election):
/// the algorithm of <see cref="Ed25519Evaluator"/> — a doubling chain per variable base, Yao's buckets per exponent,
/// fixed-base tables for g and y, one inversion for all results — with every field operation done for the eight lanes
/// by one AVX-512 instruction stream. Lanes whose digits differ pick their bucket with masked selects. Not thread-safe.
/// </summary>
internal sealed class LaneEvaluator(FixedTable8 generator, FixedTable8 key, sbyte[] orderDigits)
{
    public const int Lanes = 8;
    private const int Positions = 64;

    private Cached8[] _tables = new Cached8[16 * Positions];
    private Point8[] _products = new Point8[32];
    private readonly Point8[] _buckets = new Point8[9];
    private Point8 _scratch;
    private readonly long[] _digits = new long[Positions * Lanes];
    private readonly long[] _fixedDigits = new long[64 * Lanes];

    public static bool IsSupported => Fe8.IsSupported;

    /// <summary>
    /// Evaluates 1 to 8 batches of the same shape (fewer are padded with copies of the first). For each batch,
    /// fills its encodings, or sets its failed base (membership) index, −1 when all bases are members.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Evaluate(IReadOnlyList<CommitmentBatch> batches, IReadOnlyList<string[]> encodings, int[] failedBase)
    {
        var n = batches.Count;
        CommitmentBatch Lane(int l) => batches[l < n ? l : 0];
        var shape = batches[0];
        var bases = shape.Bases.Count;
        if (_tables.Length < bases * Positions)
        {
            _tables = new Cached8[bases * Positions];
        }
        for (var b = 0; b < bases; b++)
        {
            var p = default(Point8);
            for (var l = 0; l < Lanes; l++)
            {
                p.SetLane(l, Ed25519Group.P(Lane(l).Bases[b]));
            }
            BuildTable(p, _tables.AsSpan(b * Positions, Positions));
        }

        for (var l = 0; l < n; l++)
        {
            failedBase[l] = -1;
        }
        for (var i = 0; i < Positions; i++)
        {
            for (var l = 0; l < Lanes; l++)
            {
                _digits[(i * Lanes) + l] = orderDigits[i];
            }
        }
        for (var b = 0; b < bases; b++)
        {
            if (!shape.CheckMembership[b])
            {
                continue;
            }
            var q = Yao(_tables.AsSpan(b * Positions, Positions), _digits);
            for (var l = 0; l < n; l++)
            {
                if (failedBase[l] < 0 && !q.GetLane(l).IsIdentity)
                {
                    failedBase[l] = b;
                }
            }
        }

        var count = shape.ProductCount;
        if (_products.Length < count)
        {
            _products = new Point8[count];
        }
        Span<byte> scalar = stackalloc byte[32];
        Span<sbyte> radix16 = stackalloc sbyte[64];
        Span<short> signed = stackalloc short[64];
        var start = 0;
        for (var p = 0; p < count; p++)
        {
            var end = shape.ProductEnds[p];
            var acc = Point8.Identity;
            for (var t = start; t < end; t++)
            {
                var term = shape.Terms[t];
                if (term.Base is CommitmentBatch.G or CommitmentBatch.Y)
                {
                    var table = term.Base == CommitmentBatch.G ? generator : key;
                    for (var l = 0; l < Lanes; l++)
                    {
                        ScalarDigits.ToBytes(Lane(l).Terms[t].Exponent, scalar);
                        FixedBaseTable.SignedDigits(scalar, table.Window, signed[..table.Positions]);
                        for (var i = 0; i < table.Positions; i++)
                        {
                            _fixedDigits[(i * Lanes) + l] = signed[i];
                        }
                    }
                    table.AddMultiple(ref acc, _fixedDigits.AsSpan(0, table.Positions * Lanes));
                }
                else
                {
                    for (var l = 0; l < Lanes; l++)
                    {
                        ScalarDigits.ToBytes(Lane(l).Terms[t].Exponent, scalar);
                        ScalarDigits.Radix16(scalar, radix16);
                        for (var i = 0; i < Positions; i++)
                        {
                            _digits[(i * Lanes) + l] = radix16[i];
                        }
                    }
                    var v = Yao(_tables.AsSpan(term.Base * Positions, Positions), _digits);
                    Point8.AddTo(ref acc, Cached8.From(v));
                }
            }
            _products[p] = acc;
            start = end;
        }

        // One inversion for every product of every lane (Montgomery's trick over the products).
        var prefix = new Fe8[count];
        var running = Fe8.One;
        for (var p = 0; p < count; p++)
        {
            prefix[p] = running;
            running = Fe8.Mul(running, _products[p].Z);
        }
        var inverse = Fe8.Invert(running);
        Span<byte> bytes = stackalloc byte[32];
        for (var p = count - 1; p >= 0; p--)
        {
            var zInverse = Fe8.Mul(inverse, prefix[p]);
            inverse = Fe8.Mul(inverse, _products[p].Z);
            var x = Fe8.Mul(_products[p].X, zInverse);
            var y = Fe8.Mul(_products[p].Y, zInverse);
            for (var l = 0; l < n; l++)
            {
                if (failedBase[l] >= 0)
                {
                    continue;
                }
                y.GetLane(l).ToBytes(bytes);
                if (x.GetLane(l).IsOdd)
                {
                    bytes[31] |= 0x80;
                }
                encodings[l][p] = Ed25519Group.EncodeBytes(bytes);
            }
        }
    }

    /// <summary>Whether each point is in the prime-order subgroup (q·P = 0), eight at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool[] AreMembers(IReadOnlyList<EdPoint> points)
    {
        var result = new bool[points.Count];
        var table = new Cached8[Positions];
        for (var i = 0; i < Positions; i++)
        {
            for (var l = 0; l < Lanes; l++)
            {
                _digits[(i * Lanes) + l] = orderDigits[i];
            }
        }
        for (var start = 0; start < points.Count; start += Lanes)
        {
            var p = default(Point8);
            for (var l = 0; l < Lanes; l++)
            {
                p.SetLane(l, points[Math.Min(start + l, points.Count - 1)]);
            }
            BuildTable(p, table);
            var q = Yao(table, _digits);
            for (var l = 0; l < Lanes && start + l < points.Count; l++)
            {
                result[start + l] = q.GetLane(l).IsIdentity;
            }
        }
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BuildTable(in Point8 p, Span<Cached8> table)
    {
        var current = p;
        table[0] = Cached8.From(current);
        for (var i = 1; i < Positions; i++)
        {
            Point8.DoubleInPlace(ref current, withT: false);
            Point8.DoubleInPlace(ref current, withT: false);
            Point8.DoubleInPlace(ref current, withT: false);
            Point8.DoubleInPlace(ref current, withT: true);
            table[i] = Cached8.From(current);
        }
    }

    /// <summary>Σ d_i·T_i per lane, buckets chosen per lane by masks (directly when all lanes share the digit).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Point8 Yao(ReadOnlySpan<Cached8> table, ReadOnlySpan<long> digits)
    {
        var buckets = _buckets;
        for (var k = 1; k <= 8; k++)
        {
            buckets[k] = Point8.Identity;
        }
        for (var i = 0; i < Positions; i++)
        {
            var dv = Vector512.Create(digits.Slice(i * Lanes, Lanes));
            if (dv == VL.Zero)
            {
                continue;
            }
            var negative = Vector512.LessThan(dv, VL.Zero).AsUInt64();
            var abs = Vector512.Abs(dv);
            var first = digits[i * Lanes];
            if (dv == Vector512.Create(first))
            {
                var k = (int)Math.Abs(first);
                if (first < 0)
                {
                    Point8.AddTo(ref buckets[k], table[i].NegateWhere(VU.AllBitsSet));
                }
                else
                {
                    Point8.AddTo(ref buckets[k], table[i]);
                }
                continue;
            }
            var entry = table[i].NegateWhere(negative);
            ref var acc = ref _scratch;
            acc = buckets[1];
            for (var k = 2; k <= 8; k++)
            {
                var mask = Vector512.Equals(abs, Vector512.Create((long)k)).AsUInt64();
                if (mask != VU.Zero)
                {
                    Point8.CopyWhere(mask, buckets[k], ref acc);
                }
            }
            Point8.AddTo(ref acc, entry);
            for (var k = 1; k <= 8; k++)
            {
                var mask = Vector512.Equals(abs, Vector512.Create((long)k)).AsUInt64();
                if (mask != VU.Zero)
                {
                    Point8.CopyWhere(mask, acc, ref buckets[k]);
                }
            }
        }
        var sum = buckets[8];
        var result = sum;
        for (var k = 7; k >= 1; k--)
        {
            Point8.AddTo(ref sum, Cached8.From(buckets[k]));
            Point8.AddTo(ref result, Cached8.From(sum));
        }
        return result;
    }
}
