using System.Globalization;
using System.Text.RegularExpressions;

namespace Socle.Modules.Batteries.Schemas;

/// <summary>
/// The <c>format</c> values the schemas use, checked as their RFCs define them: <c>date-time</c> (RFC 3339 §5.6),
/// <c>date</c> (RFC 3339 full-date), <c>uri</c> (RFC 3986 absolute URI), <c>email</c> (addr-spec, simplified), <c>uuid</c>.
/// An unknown format is an annotation and passes, as JSON Schema says.
/// </summary>
internal static partial class Formats
{
    public static bool Check(string format, string value) => format switch
    {
        "date-time" => IsDateTime(value),
        "date" => IsDate(value),
        "uri" => IsUri(value),
        "email" => Email().IsMatch(value),
        "uuid" => Guid.TryParseExact(value, "D", out _),
        _ => true,
    };

    public static bool IsDateTime(string value)
    {
        var m = DateTime().Match(value);
        if (!m.Success)
        {
            return false;
        }
        return IsDate(m.Groups["date"].Value)
            && int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture) <= 23
            && int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) <= 59
            && int.Parse(m.Groups["s"].Value, CultureInfo.InvariantCulture) <= 60; // leap second
    }

    public static bool IsDate(string value) =>
        FullDate().IsMatch(value)
        && System.DateTime.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>RFC 3986 absolute URI: a scheme, a colon, then only characters a URI may hold, with well-formed %-escapes.</summary>
    public static bool IsUri(string value) => Uri3986().IsMatch(value);

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})[Tt](?<h>\d{2}):(?<m>\d{2}):(?<s>\d{2})(\.\d+)?([Zz]|[+-](0\d|1\d|2[0-3]):[0-5]\d)$", RegexOptions.CultureInvariant)]
    private static partial Regex DateTime();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex FullDate();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.\-]*:([A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$", RegexOptions.CultureInvariant)]
    private static partial Regex Uri3986();

    [GeneratedRegex(@"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)+$", RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}
