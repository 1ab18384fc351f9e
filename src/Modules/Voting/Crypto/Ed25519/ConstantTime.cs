namespace Socle.Modules.Voting.Crypto.Ed25519;

/// <summary>
/// The managed fallback for secret scalars (used when libsodium is absent): a fixed 4-bit signed window with a table
/// scan by masks, so that neither branches nor memory addresses depend on the scalar.
/// </summary>
internal static class ConstantTime
{
    public static EdPoint Multiply(in EdPoint p, ReadOnlySpan<byte> scalar32)
    {
        unchecked
        {
            Span<sbyte> digits = stackalloc sbyte[64];
            ScalarDigits.Radix16(scalar32, digits);
            Span<CachedPoint> table = stackalloc CachedPoint[9];
            table[0] = CachedPoint.Identity;
            table[1] = CachedPoint.From(p);
            var m = p;
            for (var i = 2; i <= 8; i++)
            {
                m = EdPoint.Add(m, table[1]);
                table[i] = CachedPoint.From(m);
            }
            var r = EdPoint.Identity;
            for (var i = 63; i >= 0; i--)
            {
                r = EdPoint.Double(r);
                r = EdPoint.Double(r);
                r = EdPoint.Double(r);
                r = EdPoint.Double(r);
                int d = digits[i];
                var negative = (ulong)((uint)d >> 31);
                var mask = -(int)negative;
                var abs = (d ^ mask) - mask;
                var selected = table[0];
                for (var j = 1; j <= 8; j++)
                {
                    var equal = (ulong)(((uint)(abs ^ j) - 1) >> 31);
                    selected = CachedPoint.Select(selected, table[j], equal);
                }
                r = EdPoint.Add(r, selected.ConditionalNegate(negative));
            }
            digits.Clear();
            return r;
        }
    }
}
