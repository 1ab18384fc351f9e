using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using Socle.Modules.Voting.Crypto;

namespace Socle.Modules.Voting.Records;

/// <summary>A record that does not follow the Belenios format; the message names the field (a JSON path) and the reason.</summary>
public sealed class RecordFormatException(string message) : Exception(message);

/// <summary>
/// JSON as Belenios writes it (its serialisers come from atdgen and Yojson): compact, fields in the order of the
/// specification, optional fields omitted, big numbers as decimal strings, UTF-8 text unescaped except for the
/// characters Yojson escapes (quote, backslash, control characters).
/// </summary>
internal static class Json
{
    public static void Quote(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7F)
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append('"');
    }

    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        Quote(sb, s);
        return sb.ToString();
    }

    public static StringBuilder Field(this StringBuilder sb, string name, string value, bool first = false)
    {
        if (!first)
        {
            sb.Append(',');
        }
        Quote(sb, name);
        sb.Append(':');
        Quote(sb, value);
        return sb;
    }

    public static StringBuilder RawField(this StringBuilder sb, string name, string rawJson, bool first = false)
    {
        if (!first)
        {
            sb.Append(',');
        }
        Quote(sb, name);
        sb.Append(':').Append(rawJson);
        return sb;
    }

    public static StringBuilder IntField(this StringBuilder sb, string name, long value, bool first = false) =>
        sb.RawField(name, value.ToString(CultureInfo.InvariantCulture), first);

    public static string Scalar(BigInteger x) => x.ToString(CultureInfo.InvariantCulture);

    /// <summary>Appends <see cref="Scalar(BigInteger)"/> without making a string (serialising a ballot writes dozens).</summary>
    public static StringBuilder AppendScalar(this StringBuilder sb, BigInteger x)
    {
        Span<char> digits = stackalloc char[100];
        return x.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture) ? sb.Append(digits[..n]) : sb.Append(Scalar(x));
    }

    public static string Array<T>(IEnumerable<T> items, Func<T, string> write) => "[" + string.Join(",", items.Select(write)) + "]";

    public static string Strings(IEnumerable<string> items) => Array(items, Quote);

    // ---- strict reading --------------------------------------------------------------------------------------------

    public static JsonDocument ParseDocument(ReadOnlyMemory<byte> bytes, string what)
    {
        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException e)
        {
            throw new RecordFormatException($"{what}: not valid JSON ({e.Message.Split('.')[0]})");
        }
    }

    public static JsonDocument ParseDocument(string text, string what) => ParseDocument(Encoding.UTF8.GetBytes(text), what);

    public static JsonElement Get(this JsonElement obj, string name, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw new RecordFormatException($"{path}: an object is expected");
        }
        return obj.TryGetProperty(name, out var v) ? v : throw new RecordFormatException($"{path}.{name}: is missing");
    }

    public static JsonElement? GetOptional(this JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static string String(this JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new RecordFormatException($"{path}: a string is expected");

    public static int Int(this JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var i) ? i : throw new RecordFormatException($"{path}: an integer is expected");

    public static long Long(this JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var i) ? i : throw new RecordFormatException($"{path}: an integer is expected");

    public static bool Bool(this JsonElement e, string path) => e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new RecordFormatException($"{path}: true or false is expected"),
    };

    public static JsonElement.ArrayEnumerator Items(this JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : throw new RecordFormatException($"{path}: an array is expected");

    public static T[] Array<T>(this JsonElement e, string path, Func<JsonElement, string, T> read, int max = 1_000_000)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw new RecordFormatException($"{path}: an array is expected");
        }
        var n = e.GetArrayLength();
        if (n > max)
        {
            throw new RecordFormatException($"{path}: more than {max} items");
        }
        var result = new T[n];
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            result[i] = read(item, $"{path}[{i}]");
            i++;
        }
        return result;
    }

    public static BigInteger Scalar(this JsonElement e, string path, BigInteger q)
    {
        var s = e.String(path);
        return Zq.TryParse(s, q, out var v, out var reason) ? v : throw new RecordFormatException($"{path}: {reason}");
    }

    public static Element Element(this JsonElement e, string path, Group group, bool checkMembership = true)
    {
        var s = e.String(path);
        return group.TryParse(s, checkMembership, out var v, out var reason) ? v : throw new RecordFormatException($"{path}: {reason}");
    }

    /// <summary>A weight: a JSON integer or a decimal string, non-negative (Belenios' weight_of_json).</summary>
    public static BigInteger Weight(this JsonElement e, string path)
    {
        var text = e.ValueKind switch
        {
            JsonValueKind.Number => e.GetRawText(),
            JsonValueKind.String => e.GetString()!,
            _ => throw new RecordFormatException($"{path}: a weight (integer) is expected"),
        };
        return Weights.TryParse(text, out var w) ? w : throw new RecordFormatException($"{path}: '{text}' is not a valid weight");
    }
}

/// <summary>Voter weights (Belenios: non-negative integers; JSON numbers up to 2^30−1, strings beyond).</summary>
public static class Weights
{
    public static bool TryParse(string text, out BigInteger weight)
    {
        weight = default;
        if (text.Length is 0 or > 30 || text.Any(c => c is < '0' or > '9'))
        {
            return false;
        }
        weight = BigInteger.Parse(text, CultureInfo.InvariantCulture);
        return true;
    }

    private static readonly BigInteger MaxInt31 = 1073741823;

    /// <summary>The JSON form Belenios writes: a number up to 2^30−1, a string beyond.</summary>
    public static string ToJson(BigInteger weight) =>
        weight <= MaxInt31 ? weight.ToString(CultureInfo.InvariantCulture) : Records.Json.Quote(weight.ToString(CultureInfo.InvariantCulture));
}
