using System.Security.Cryptography;
using System.Text;

namespace Socle.Modules.Loyalty.Members;

/// <summary>
/// The member's QR code: signed and short-lived, so a screenshot or a photographed code is useless a minute later and
/// a code that was scanned once is refused the second time.
/// <code>
/// M1.&lt;member id&gt;.&lt;issued at, unix seconds&gt;.&lt;nonce, 8 bytes&gt;.&lt;HMAC-SHA256(key, "M1|merchant|member|issued|nonce"), 16 bytes&gt;
/// </code>
/// (base64url fields). The key is the merchant's QR key; the server issues a fresh code every <see cref="RotationSeconds"/>
/// to the member's page and accepts a code for <see cref="ValiditySeconds"/>. Replays are refused by recording each
/// accepted code's nonce (see <c>ScanMember</c>).
/// </summary>
public static class MemberCode
{
    public const int RotationSeconds = 30;
    public const int ValiditySeconds = 90;
    public const string Prefix = "M1";

    public sealed record Parsed(string MemberId, long IssuedAt, string Nonce);

    public static string Issue(byte[] key, string merchantId, string memberId, DateTimeOffset now)
    {
        var issued = now.ToUnixTimeSeconds();
        var nonce = Base64Url(RandomNumberGenerator.GetBytes(8));
        return $"{Prefix}.{memberId}.{issued}.{nonce}.{Sign(key, merchantId, memberId, issued, nonce)}";
    }

    public enum Verdict
    {
        Valid,
        Malformed,
        BadSignature,
        Expired,
        NotYetValid,
    }

    public static Verdict Verify(byte[] key, string merchantId, string code, DateTimeOffset now, out Parsed? parsed)
    {
        parsed = null;
        var parts = code.Trim().Split('.');
        if (parts.Length != 5 || parts[0] != Prefix || parts[1].Length is 0 or > 64 || !long.TryParse(parts[2], out var issued) || parts[3].Length != 11)
        {
            return Verdict.Malformed;
        }
        var expected = Encoding.ASCII.GetBytes(Sign(key, merchantId, parts[1], issued, parts[3]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[4])))
        {
            return Verdict.BadSignature;
        }
        // the signature holds: say whose code it is even when it is too old, so a retried request can be recognised
        parsed = new Parsed(parts[1], issued, parts[3]);
        var age = now.ToUnixTimeSeconds() - issued;
        if (age < -5)
        {
            return Verdict.NotYetValid;
        }
        return age > ValiditySeconds ? Verdict.Expired : Verdict.Valid;
    }

    /// <summary>
    /// The short code for typing when the camera cannot read the QR: the member's card number and a 6-digit time-based
    /// one-time password (RFC 6238 style: HMAC-SHA256, 30-second steps, dynamic truncation), e.g. <c>K7P3QW2A-482913</c>.
    /// The key is derived from the merchant's QR key and the member id, so it never leaves the server.
    /// </summary>
    public static string IssueTyped(byte[] key, string memberId, string cardNumber, DateTimeOffset now) =>
        $"{cardNumber}-{Totp(key, memberId, now.ToUnixTimeSeconds() / RotationSeconds)}";

    public static bool TryParseTyped(string code, out string cardNumber, out string digits)
    {
        var parts = code.Trim().ToUpperInvariant().Replace(" ", "", StringComparison.Ordinal).Split('-');
        cardNumber = parts.Length == 2 ? parts[0] : "";
        digits = parts.Length == 2 ? parts[1] : "";
        return parts.Length == 2 && cardNumber.Length is >= 6 and <= 12 && digits.Length == 6 && digits.All(char.IsAsciiDigit);
    }

    /// <summary>Checks typed digits against the recent steps; the nonce recorded against replay is the step.</summary>
    public static Verdict VerifyTyped(byte[] key, string memberId, string digits, DateTimeOffset now, out Parsed? parsed)
    {
        parsed = null;
        var step = now.ToUnixTimeSeconds() / RotationSeconds;
        for (var back = 0; back <= 20; back++)
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Totp(key, memberId, step - back)), Encoding.ASCII.GetBytes(digits)))
            {
                parsed = new Parsed(memberId, (step - back) * RotationSeconds, $"t:{memberId}:{step - back}");
                return (back + 1) * RotationSeconds > ValiditySeconds ? Verdict.Expired : Verdict.Valid;
            }
        }
        return Verdict.BadSignature;
    }

    private static string Totp(byte[] key, string memberId, long step)
    {
        var memberKey = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes("totp|" + memberId));
        Span<byte> counter = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(counter, step);
        var mac = HMACSHA256.HashData(memberKey, counter);
        var offset = mac[^1] & 0x0f;
        var value = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
        return (value % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string Sign(byte[] key, string merchantId, string memberId, long issued, string nonce)
    {
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{Prefix}|{merchantId}|{memberId}|{issued}|{nonce}"));
        return Base64Url(mac.AsSpan(0, 16));
    }

    public static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>A random secret of <paramref name="bytes"/> bytes, base64url.</summary>
    public static string NewSecret(int bytes = 24) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>
    /// An id for rows written at a high rate (purchases, ledger entries): the time in milliseconds (9 characters of
    /// base 32, in ASCII order) then 40 random bits. Ids made later sort after earlier ones, so the primary-key index
    /// grows at its right edge instead of taking each insert on a random page. Not for ids that must stay unguessable.
    /// </summary>
    public static string NewOrderedId(string prefix, DateTimeOffset now)
    {
        const string ordered = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford's base 32: ASCII order is numeric order
        Span<byte> random = stackalloc byte[5];
        RandomNumberGenerator.Fill(random);
        var tail = ((ulong)random[0] << 32) | ((ulong)random[1] << 24) | ((ulong)random[2] << 16) | ((ulong)random[3] << 8) | random[4];
        var ms = (ulong)Math.Max(0, now.ToUnixTimeMilliseconds());
        return string.Create(prefix.Length + 18, (prefix, ms, tail), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            span[state.prefix.Length] = '_';
            var digits = span[(state.prefix.Length + 1)..];
            for (var i = 8; i >= 0; i--, state.ms >>= 5)
            {
                digits[i] = ordered[(int)(state.ms & 31)];
            }
            for (var i = 16; i >= 9; i--, state.tail >>= 5)
            {
                digits[i] = ordered[(int)(state.tail & 31)];
            }
        });
    }

    /// <summary>A short random identifier (12 base32 characters, 60 bits), readable and typeable.</summary>
    public static string NewId(string prefix)
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        Span<byte> random = stackalloc byte[12];
        RandomNumberGenerator.Fill(random);
        var sb = new StringBuilder(prefix.Length + 13).Append(prefix).Append('_');
        foreach (var b in random)
        {
            sb.Append(alphabet[b % alphabet.Length]);
        }
        return sb.ToString();
    }

    public static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

}
