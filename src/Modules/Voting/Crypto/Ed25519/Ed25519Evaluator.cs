using System.Runtime.CompilerServices;
namespace Socle.Modules.Voting.Crypto.Ed25519;

/// <summary>
/// The verification engine for Ed25519: evaluates a <see cref="CommitmentBatch"/> with variable-time arithmetic on
/// public data.
/// <list type="bullet">
/// <item>Each variable base P gets one doubling chain storing T_i = 16^i·P (i = 0…63); every exponent k of P is then
/// Σ d_i·T_i over its signed radix-16 digits, summed with Yao's bucket method (64 + 16 additions, no doubling). A base
/// carries about three exponents in a ballot (two challenges and the membership check), so the chain is shared.</item>
/// <item>Membership of P in the prime-order subgroup is checked as q·P = 0 with the same chain.</item>
/// <item>g and the election key y use 8-bit fixed-base tables (33 mixed additions per exponent).</item>
/// <item>All products are normalised with a single field inversion, then encoded.</item>
/// </list>
/// Not thread-safe (scratch buffers are reused); one instance per worker.
/// </summary>
internal sealed class Ed25519Evaluator(FixedBaseTable generator, FixedBaseTable key, sbyte[] orderDigits) : ICommitmentEvaluator
{
    private const int Positions = 64;

    /// <summary>1/d, to rebuild extended coordinates from a cached point.</summary>
    private static readonly Fe InverseD = Fe.Invert(Fe.D);

    private CachedPoint[] _tables = new CachedPoint[16 * Positions];
    private EdPoint[] _products = new EdPoint[64];
    private readonly EdPoint[] _buckets = new EdPoint[9];
    private readonly bool[] _filled = new bool[9];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Evaluate(CommitmentBatch batch, string[] encodings, out int failedBase)
    {
        failedBase = -1;
        var bases = batch.Bases.Count;
        if (_tables.Length < bases * Positions)
        {
            _tables = new CachedPoint[bases * Positions];
        }
        for (var b = 0; b < bases; b++)
        {
            BuildTable(Ed25519Group.P(batch.Bases[b]), _tables.AsSpan(b * Positions, Positions));
        }
        Span<sbyte> digits = stackalloc sbyte[64];
        for (var b = 0; b < bases; b++)
        {
            if (batch.CheckMembership[b] && !Yao(_tables.AsSpan(b * Positions, Positions), orderDigits).IsIdentity)
            {
                failedBase = b;
                return false;
            }
        }

        var count = batch.ProductCount;
        if (_products.Length < count)
        {
            _products = new EdPoint[count];
        }
        Span<byte> scalar = stackalloc byte[32];
        var start = 0;
        for (var p = 0; p < count; p++)
        {
            var end = batch.ProductEnds[p];
            var acc = EdPoint.Identity;
            for (var t = start; t < end; t++)
            {
                var term = batch.Terms[t];
                ScalarDigits.ToBytes(term.Exponent, scalar);
                switch (term.Base)
                {
                    case CommitmentBatch.G:
                        generator.AddMultiple(ref acc, scalar);
                        break;
                    case CommitmentBatch.Y:
                        key.AddMultiple(ref acc, scalar);
                        break;
                    default:
                        ScalarDigits.Radix16(scalar, digits);
                        var v = Yao(_tables.AsSpan(term.Base * Positions, Positions), digits);
                        acc = EdPoint.Add(acc, CachedPoint.From(v));
                        break;
                }
            }
            _products[p] = acc;
            start = end;
        }

        var inverses = FixedBaseTable.BatchInverseZ(_products.AsSpan(0, count));
        Span<byte> encoded = stackalloc byte[32];
        for (var p = 0; p < count; p++)
        {
            _products[p].Encode(inverses[p], encoded);
            encodings[p] = Ed25519Group.EncodeBytes(encoded);
        }
        return true;
    }

    /// <summary>T_i = 16^i·P in cached form: 63×4 doublings, T kept only where stored.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BuildTable(in EdPoint p, Span<CachedPoint> table)
    {
        var current = p;
        table[0] = CachedPoint.From(current);
        for (var i = 1; i < Positions; i++)
        {
            current = EdPoint.DoubleNoT(current);
            current = EdPoint.DoubleNoT(current);
            current = EdPoint.DoubleNoT(current);
            current = EdPoint.Double(current);
            table[i] = CachedPoint.From(current);
        }
    }

    /// <summary>Σ d_i·T_i with buckets B_k = Σ_{|d_i| = k} ±T_i, then Σ k·B_k by running sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private EdPoint Yao(ReadOnlySpan<CachedPoint> table, ReadOnlySpan<sbyte> digits)
    {
        var buckets = _buckets;
        var filled = _filled;
        Array.Clear(filled);
        for (var i = 0; i < Positions; i++)
        {
            int d = digits[i];
            if (d == 0)
            {
                continue;
            }
            var k = d < 0 ? -d : d;
            var entry = d < 0 ? table[i].Negate() : table[i];
            if (filled[k])
            {
                buckets[k] = EdPoint.Add(buckets[k], entry);
            }
            else
            {
                buckets[k] = ToExtended(entry);
                filled[k] = true;
            }
        }
        var sum = EdPoint.Identity;
        var result = EdPoint.Identity;
        var anySum = false;
        var anyResult = false;
        for (var k = 8; k >= 1; k--)
        {
            if (filled[k])
            {
                sum = anySum ? EdPoint.Add(sum, CachedPoint.From(buckets[k])) : buckets[k];
                anySum = true;
            }
            if (anySum)
            {
                result = anyResult ? EdPoint.Add(result, CachedPoint.From(sum)) : sum;
                anyResult = true;
            }
        }
        return result;
    }

    /// <summary>Extended coordinates (2X : 2Y : 2Z : 2T) from (Y+X, Y−X, 2Z, 2dT).</summary>
    private static EdPoint ToExtended(in CachedPoint c)
    {
        EdPoint r;
        r.X = Fe.Sub(c.YPlusX, c.YMinusX);
        r.Y = Fe.Add(c.YPlusX, c.YMinusX);
        r.Z = c.Z2;
        r.T = Fe.Mul(c.T2d, InverseD);
        return r;
    }
}
