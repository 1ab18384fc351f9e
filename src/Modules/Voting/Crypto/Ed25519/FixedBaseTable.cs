using System.Runtime.CompilerServices;
namespace Socle.Modules.Voting.Crypto.Ed25519;

/// <summary>
/// Precomputed multiples of a fixed point B for fast variable-time multiplication by public scalars:
/// entry (i, j) = j·2^(w·i)·B in affine Niels form, for j = 1 … 2^(w−1). A scalar written in signed radix 2^w then costs
/// one mixed addition per non-zero digit (33 additions for w = 8) and no doubling.
/// </summary>
internal sealed class FixedBaseTable
{
    private readonly NielsPoint[] _entries;
    private readonly int _window;
    private readonly int _half;
    private readonly int _positions;

    public FixedBaseTable(in EdPoint basePoint, int window)
    {
        _window = window;
        _half = 1 << (window - 1);
        _positions = (256 / window) + 2;
        _entries = new NielsPoint[_positions * _half];
        var extended = new EdPoint[_entries.Length];
        var position = basePoint;
        for (var i = 0; i < _positions; i++)
        {
            var cached = CachedPoint.From(position);
            var multiple = position;
            extended[i * _half] = multiple;
            for (var j = 1; j < _half; j++)
            {
                multiple = EdPoint.Add(multiple, cached);
                extended[(i * _half) + j] = multiple;
            }
            // next position: 2^w · position
            for (var k = 0; k < window; k++)
            {
                position = EdPoint.Double(position);
            }
        }
        var inverses = BatchInverseZ(extended);
        for (var n = 0; n < extended.Length; n++)
        {
            var x = Fe.Mul(extended[n].X, inverses[n]);
            var y = Fe.Mul(extended[n].Y, inverses[n]);
            _entries[n] = NielsPoint.FromAffine(x, y);
        }
    }

    public int Window => _window;

    public int Half => _half;

    public int Positions => _positions;

    /// <summary>j·2^(w·i)·B for 1 ≤ j ≤ 2^(w−1).</summary>
    public NielsPoint Entry(int i, int j) => _entries[(i * _half) + j - 1];

    /// <summary>Adds k·B to <paramref name="accumulator"/>, for a public scalar k (32 bytes little-endian, below 2^255).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void AddMultiple(ref EdPoint accumulator, ReadOnlySpan<byte> scalar)
    {
        Span<short> digits = stackalloc short[_positions];
        SignedDigits(scalar, _window, digits);
        for (var i = 0; i < _positions; i++)
        {
            var d = digits[i];
            if (d > 0)
            {
                accumulator = EdPoint.Add(accumulator, _entries[(i * _half) + d - 1]);
            }
            else if (d < 0)
            {
                accumulator = EdPoint.Add(accumulator, _entries[(i * _half) - d - 1].Negate());
            }
        }
    }

    /// <summary>Signed radix-2^w digits d_i in [−2^(w−1), 2^(w−1)) with k = Σ d_i·2^(w·i); the digit count leaves room for the last carry.</summary>
    public static void SignedDigits(ReadOnlySpan<byte> scalar, int window, Span<short> digits)
    {
        if (window == 8)
        {
            SignedBytes(scalar, digits);
            return;
        }
        digits.Clear();
        var carry = 0;
        var full = 1 << window;
        var half = full >> 1;
        for (var i = 0; i < digits.Length; i++)
        {
            var bit = i * window;
            var v = 0;
            if (bit < 256)
            {
                var byteIndex = bit >> 3;
                var shift = bit & 7;
                var chunk = (int)scalar[byteIndex];
                if (byteIndex + 1 < 32)
                {
                    chunk |= scalar[byteIndex + 1] << 8;
                }
                if (byteIndex + 2 < 32)
                {
                    chunk |= scalar[byteIndex + 2] << 16;
                }
                v = (chunk >> shift) & (full - 1);
            }
            v += carry;
            if (v >= half)
            {
                digits[i] = (short)(v - full);
                carry = 1;
            }
            else
            {
                digits[i] = (short)v;
                carry = 0;
            }
        }
    }

    /// <summary>The same digits for w = 8, where each digit is one byte of the scalar plus the carry (the tables' window).</summary>
    private static void SignedBytes(ReadOnlySpan<byte> scalar, Span<short> digits)
    {
        var carry = 0;
        var i = 0;
        for (; i < 32 && i < digits.Length; i++)
        {
            var v = scalar[i] + carry;
            carry = (v + 128) >> 8; // 1 when v ≥ 128 (v ≤ 256)
            digits[i] = (short)(v - (carry << 8));
        }
        for (; i < digits.Length; i++)
        {
            digits[i] = (short)carry;
            carry = 0;
        }
    }

    /// <summary>1/Z for every point, with one field inversion (Montgomery's trick).</summary>
    public static Fe[] BatchInverseZ(ReadOnlySpan<EdPoint> points)
    {
        var n = points.Length;
        var prefix = new Fe[n];
        var acc = Fe.One;
        for (var i = 0; i < n; i++)
        {
            prefix[i] = acc;
            acc = Fe.Mul(acc, points[i].Z);
        }
        var inv = Fe.Invert(acc);
        var result = new Fe[n];
        for (var i = n - 1; i >= 0; i--)
        {
            result[i] = Fe.Mul(inv, prefix[i]);
            inv = Fe.Mul(inv, points[i].Z);
        }
        return result;
    }
}
