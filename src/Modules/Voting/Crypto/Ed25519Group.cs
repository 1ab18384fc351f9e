using System.Numerics;
using System.Runtime.CompilerServices;
using Socle.Modules.Voting.Crypto.Ed25519;
using Socle.Modules.Voting.Crypto.Native;

namespace Socle.Modules.Voting.Crypto;

/// <summary>An Ed25519 point.</summary>
internal sealed class EdElement(EdPoint point) : Element
{
    public readonly EdPoint Point = point;

    internal override string ComputeEncoding() => Ed25519Group.Encode(Point);
}

/// <summary>
/// The Ed25519 group of the Belenios specification (§Elliptic curves): the prime-order subgroup of edwards25519,
/// q = 2^252 + 27742317777372353535851937790883648493. An element is written as the 64 hexadecimal digits of the
/// 256-bit number z = y XOR (lsb(x)·2^255), which is the RFC 8032 little-endian encoding read as a big-endian number
/// (byte-reversed).
/// <para>Secret-dependent multiplications go to libsodium (constant time) when it is present, otherwise to the managed
/// constant-time ladder. Verification, on public data only, uses the managed variable-time engine
/// (<see cref="Ed25519Evaluator"/>), which is several times faster than calling libsodium operation by operation.</para>
/// </summary>
public sealed class Ed25519Group : Group
{
    public static readonly Ed25519Group Instance = new();

    private static readonly BigInteger Q = (BigInteger.One << 252) + BigInteger.Parse("27742317777372353535851937790883648493");

    private static readonly sbyte[] OrderDigits = MakeDigits(Q);

    internal static readonly FixedBaseTable GeneratorTable = new(EdPoint.BasePoint, 8);

    private static readonly ConditionalWeakTable<Element, FixedBaseTable> KeyTables = [];

    private readonly EdElement _g = new(EdPoint.BasePoint);
    private readonly EdElement _one = new(EdPoint.Identity);

    private Ed25519Group()
    {
    }

    /// <summary>Forces the managed path even when libsodium is present (tests compare both).</summary>
    internal bool ForceManaged { get; set; }

    internal bool UseSodium => !ForceManaged && Sodium.IsAvailable;

    public override string Name => "Ed25519";

    public override BigInteger Order => Q;

    public override Element Generator => _g;

    public override Element Identity => _one;

    internal static EdPoint P(Element e) => ((EdElement)e).Point;

    private static sbyte[] MakeDigits(BigInteger k)
    {
        var d = new sbyte[64];
        ScalarDigits.Radix16(k, d);
        return d;
    }

    internal static string Encode(in EdPoint p)
    {
        Span<byte> bytes = stackalloc byte[32];
        p.Encode(bytes);
        return EncodeBytes(bytes);
    }

    /// <summary>Belenios' hexadecimal form of an RFC 8032 encoding: the bytes reversed, in lowercase hexadecimal.</summary>
    internal static string EncodeBytes(ReadOnlySpan<byte> rfc8032)
    {
        Span<byte> reversed = stackalloc byte[32];
        for (var i = 0; i < 32; i++)
        {
            reversed[i] = rfc8032[31 - i];
        }
        return Convert.ToHexStringLower(reversed);
    }

    /// <summary>The RFC 8032 bytes of a Belenios hexadecimal string, or false when it is not 64 lowercase hex digits.</summary>
    internal static bool TryDecodeHex(string text, Span<byte> rfc8032)
    {
        if (text.Length != 64)
        {
            return false;
        }
        for (var i = 0; i < 32; i++)
        {
            var hi = HexValue(text[2 * i]);
            var lo = HexValue(text[(2 * i) + 1]);
            if (hi < 0 || lo < 0)
            {
                return false;
            }
            rfc8032[31 - i] = (byte)((hi << 4) | lo);
        }
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };

    public override bool TryParse(string text, bool checkMembership, out Element element, out string reason)
    {
        element = _one;
        if (_decodedAhead is null || !_decodedAhead.TryGetValue(text, out var point))
        {
            Span<byte> bytes = stackalloc byte[32];
            if (!TryDecodeHex(text, bytes))
            {
                reason = "not 64 lowercase hexadecimal digits";
                return false;
            }
            if (!EdPoint.TryDecode(bytes, out point))
            {
                reason = "not the canonical encoding of a curve point";
                return false;
            }
        }
        var e = new EdElement(point);
        if (checkMembership && !IsMember(e))
        {
            reason = "not in the prime-order subgroup";
            return false;
        }
        e.SetEncoding(text);
        element = e;
        reason = "";
        return true;
    }

    [ThreadStatic]
    private static Dictionary<string, EdPoint>? _decodedAhead;

    /// <summary>
    /// Decodes ahead, eight at a time (<see cref="EdPoint.TryDecodeMany"/>), every element encoding in a record about
    /// to be parsed on this thread — the strings of 64 lowercase hexadecimal digits, such as a ballot's ciphertexts and
    /// credential — so that the <see cref="TryParse"/> calls of that parse find their points ready; invalid encodings
    /// are left for <see cref="TryParse"/> to refuse as usual. The decoded points last until the scope is disposed.
    /// </summary>
    internal static DecodeAheadScope DecodeAhead(string json)
    {
        if (!LanesEnabled || _decodedAhead is not null)
        {
            return default;
        }
        var found = new List<string>(16);
        for (var q = json.IndexOf('"'); q >= 0 && q + 65 < json.Length; q = json.IndexOf('"', q + 1))
        {
            if (json[q + 65] == '"' && json.AsSpan(q + 1, 64).IndexOfAnyExcept("0123456789abcdef") < 0)
            {
                found.Add(json.Substring(q + 1, 64));
                q += 65;
            }
        }
        if (found.Count < 3)
        {
            return default;
        }
        var bytes = new byte[32 * found.Count];
        for (var i = 0; i < found.Count; i++)
        {
            TryDecodeHex(found[i], bytes.AsSpan(32 * i, 32));
        }
        var points = new EdPoint[found.Count];
        var valid = new bool[found.Count];
        EdPoint.TryDecodeMany(bytes, points, valid);
        var ahead = new Dictionary<string, EdPoint>(found.Count, StringComparer.Ordinal);
        for (var i = 0; i < found.Count; i++)
        {
            if (valid[i])
            {
                ahead[found[i]] = points[i];
            }
        }
        _decodedAhead = ahead;
        return new DecodeAheadScope(started: true);
    }

    /// <summary>Ends <see cref="DecodeAhead"/> on this thread (when that call started one).</summary>
    internal readonly struct DecodeAheadScope(bool started) : IDisposable
    {
        public void Dispose()
        {
            if (started)
            {
                _decodedAhead = null;
            }
        }
    }

    public override bool IsMember(Element element) => EdPoint.MultiplyVartime(P(element), OrderDigits).IsIdentity;

    public override bool[] AreMembers(IReadOnlyList<Element> elements)
    {
        if (!LanesEnabled || elements.Count < 16)
        {
            return base.AreMembers(elements);
        }
        var lanes = new Crypto.Ed25519.Simd.LaneEvaluator(GeneratorTable8.Value, GeneratorTable8.Value, OrderDigits);
        return lanes.AreMembers(elements.Select(P).ToList());
    }

    public override Element Multiply(Element a, Element b) => new EdElement(EdPoint.Add(P(a), P(b)));

    public override Element Invert(Element a) => new EdElement(EdPoint.Negate(P(a)));

    public override Element Power(Element a, BigInteger k)
    {
        Span<sbyte> digits = stackalloc sbyte[64];
        ScalarDigits.Radix16(Zq.Reduce(k, Q), digits);
        return new EdElement(EdPoint.MultiplyVartime(P(a), digits));
    }

    public override Element PowerSecret(Element a, BigInteger k)
    {
        k = Zq.Reduce(k, Q);
        if (k.IsZero || P(a).IsIdentity)
        {
            return _one;
        }
        Span<byte> scalar = stackalloc byte[32];
        ScalarDigits.ToBytes(k, scalar);
        try
        {
            if (UseSodium)
            {
                return SodiumMultiply(a, scalar);
            }
            return new EdElement(ConstantTime.Multiply(P(a), scalar));
        }
        finally
        {
            scalar.Clear();
        }
    }

    public override Element GeneratorPowerSecret(BigInteger k)
    {
        k = Zq.Reduce(k, Q);
        if (k.IsZero)
        {
            return _one;
        }
        Span<byte> scalar = stackalloc byte[32];
        ScalarDigits.ToBytes(k, scalar);
        try
        {
            if (UseSodium)
            {
                unsafe
                {
                    Span<byte> result = stackalloc byte[32];
                    fixed (byte* r = result, n = scalar)
                    {
                        if (Sodium.crypto_scalarmult_ed25519_base_noclamp(r, n) != 0)
                        {
                            return _one;
                        }
                    }
                    return FromRfc8032(result);
                }
            }
            return new EdElement(ConstantTime.Multiply(EdPoint.BasePoint, scalar));
        }
        finally
        {
            scalar.Clear();
        }
    }

    private unsafe EdElement SodiumMultiply(Element a, ReadOnlySpan<byte> scalar)
    {
        Span<byte> point = stackalloc byte[32];
        P(a).Encode(point);
        Span<byte> result = stackalloc byte[32];
        fixed (byte* r = result, n = scalar, p = point)
        {
            if (Sodium.crypto_scalarmult_ed25519_noclamp(r, n, p) != 0)
            {
                // libsodium refuses points outside the main subgroup and identity results; ours are checked
                // members, so only the identity result (k·a = 0, impossible for 0 < k < q and a ≠ 0) lands here.
                return _one;
            }
        }
        return FromRfc8032(result);
    }

    private static EdElement FromRfc8032(ReadOnlySpan<byte> bytes)
    {
        if (!EdPoint.TryDecode(bytes, out var p))
        {
            throw new InvalidOperationException("libsodium returned an invalid point");
        }
        return new EdElement(p);
    }

    public override bool AreEqual(Element a, Element b) => EdPoint.AreEqual(P(a), P(b));

    internal override ICommitmentEvaluator CreateEvaluator(Element publicKey) =>
        new Ed25519Evaluator(GeneratorTable, KeyTables.GetValue(publicKey, k => new FixedBaseTable(P(k), 8)), OrderDigits);

    internal override string Key(Element a) => a.Encoded;

    private static readonly Lazy<Crypto.Ed25519.Simd.FixedTable8> GeneratorTable8 = new(() => new Crypto.Ed25519.Simd.FixedTable8(GeneratorTable));

    private static readonly ConditionalWeakTable<Element, Crypto.Ed25519.Simd.FixedTable8> KeyTables8 = [];

    /// <summary>The 8-lane engine (AVX-512), unless the processor lacks it or SOCLE_VOTING_NO_SIMD=1.</summary>
    internal static bool LanesEnabled { get; set; } = Crypto.Ed25519.Simd.LaneEvaluator.IsSupported && Environment.GetEnvironmentVariable("SOCLE_VOTING_NO_SIMD") != "1";

    internal override Crypto.Ed25519.Simd.LaneEvaluator? CreateLaneEvaluator(Element publicKey) =>
        LanesEnabled
            ? new Crypto.Ed25519.Simd.LaneEvaluator(GeneratorTable8.Value,
                KeyTables8.GetValue(publicKey, k => new Crypto.Ed25519.Simd.FixedTable8(KeyTables.GetValue(k, kk => new FixedBaseTable(P(kk), 8)))), OrderDigits)
            : null;
}
