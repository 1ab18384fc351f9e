using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Socle.Modules.Batteries.Passports;

/// <summary>
/// Passport identifiers: URNs as the Battery Pass model requires (<c>^urn:[a-z0-9]+:[a-z0-9]+$</c>). Socle issues
/// <c>urn:{namespace}:{32 hex digits}</c>, the hex digits being a random UUID (version 4), so that the same identifier
/// exports to Catena-X (whose <c>passportIdentifier</c> is a UUID) and back. The passport identifier is not the battery
/// identifier: a battery that is repurposed or remanufactured gets a new passport.
/// </summary>
public static partial class PassportIds
{
    public const int MaxLength = 200;

    [GeneratedRegex("^urn:[a-z0-9]+:[a-z0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? id) => id is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(id);

    public static string New(string urnNamespace) => FromUuid(urnNamespace, NewUuid());

    public static Guid NewUuid() => Guid.NewGuid();

    public static string FromUuid(string urnNamespace, Guid uuid) => $"urn:{urnNamespace}:{uuid:N}";

    /// <summary>The UUID inside a Socle-issued identifier, or null for identifiers made elsewhere.</summary>
    public static Guid? UuidOf(string id)
    {
        var nss = id[(id.LastIndexOf(':') + 1)..];
        return nss.Length == 32 && Guid.TryParseExact(nss, "N", out var g) ? g : null;
    }

    /// <summary>A random 128-bit salt in hex: each version document carries one, so that a published hash tells nothing about
    /// low-entropy restricted values (a status, a state of charge) that someone might otherwise guess and check.</summary>
    public static string NewSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}

/// <summary>
/// The battery identifier, unique per battery item (Art. 13(6), ISO/IEC 15459): Socle uses the GS1 form that DIN DKE SPEC
/// 99100 recommends — a GTIN-14 with its check digit (GS1 is an issuing agency under ISO/IEC 15459-2) and a serial number
/// (AI 21): <c>(01)04006381333931(21)SN0001</c>. Its GS1 Digital Link path is <c>/01/{gtin}/21/{serial}</c>.
/// </summary>
public static partial class BatteryIds
{
    public const int MaxLength = 200;

    [GeneratedRegex(@"^\(01\)(?<gtin>\d{14})\(21\)(?<serial>[0-9A-Za-z\-./_]{1,20})$", RegexOptions.CultureInvariant)]
    private static partial Regex Gs1();

    /// <summary>Checks a GS1 battery identifier; returns the reason when it is not one.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return "is required";
        }
        var m = Gs1().Match(id);
        if (!m.Success)
        {
            return "must be a GS1 identifier (01)<GTIN-14>(21)<serial of 1 to 20 letters, digits, - . / _>";
        }
        return IsValidGtin(m.Groups["gtin"].Value) ? null : $"GTIN {m.Groups["gtin"].Value} has a wrong check digit (expected {CheckDigit(m.Groups["gtin"].Value[..13])})";
    }

    public static bool IsGs1(string id) => Problem(id) is null;

    public static string Format(string gtin14, string serial) => $"(01){gtin14}(21){serial}";

    public static bool TryParse(string id, out string gtin, out string serial)
    {
        var m = Gs1().Match(id);
        gtin = m.Success ? m.Groups["gtin"].Value : "";
        serial = m.Success ? m.Groups["serial"].Value : "";
        return m.Success;
    }

    /// <summary>The GS1 check digit (GS1 General Specifications §7.9.1): weights 3 and 1 from the right, sum, up to the next ten.</summary>
    public static int CheckDigit(string digitsWithoutCheck)
    {
        var sum = 0;
        for (var i = 0; i < digitsWithoutCheck.Length; i++)
        {
            var digit = digitsWithoutCheck[digitsWithoutCheck.Length - 1 - i] - '0';
            sum += digit * (i % 2 == 0 ? 3 : 1);
        }
        return (10 - (sum % 10)) % 10;
    }

    public static bool IsValidGtin(string gtin) =>
        gtin.Length is 8 or 12 or 13 or 14 && gtin.All(char.IsAsciiDigit) && CheckDigit(gtin[..^1]) == gtin[^1] - '0';
}
