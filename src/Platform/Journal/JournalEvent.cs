using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Socle.Platform.Journal;

/// <summary>
/// One event of a hash-chained journal stream.
/// </summary>
/// <remarks>
/// The event is identified by <see cref="Hash"/> = SHA-256 of its header, the UTF-8 bytes of
/// <code>{"stream":S,"height":H,"parent":P,"type":T,"time":I,"payload":D}</code>
/// with no whitespace, where S and T are the stream and type names (JSON strings; they are restricted to
/// <c>[a-z0-9._:/-]</c> so they never need escaping), H the height (0 for the first event), P the previous event's hash as a
/// lowercase hex string or <c>null</c> at height 0, I the time in ISO 8601 UTC with microseconds, and D = SHA-256 of the
/// payload's UTF-8 bytes, lowercase hex. The payload is a JSON value stored exactly as given.
/// This is the scheme of Belenios' event log (events point to their parent and to their payload by hash).
/// </remarks>
public sealed partial record JournalEvent(
    string Stream,
    long Height,
    string? Parent,
    string Type,
    string Time,
    string PayloadHash,
    string Payload,
    string Hash)
{
    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>The canonical header bytes that <see cref="Hash"/> is computed over.</summary>
    public static byte[] Header(string stream, long height, string? parent, string type, string time, string payloadHash) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"stream\":\"{stream}\",\"height\":{height},\"parent\":{(parent is null ? "null" : $"\"{parent}\"")},\"type\":\"{type}\",\"time\":\"{time}\",\"payload\":\"{payloadHash}\"}}"));

    /// <summary>Writes the header into <paramref name="buffer"/> and returns its length; the allocation-free form used by verification.</summary>
    internal static int WriteHeader(Span<byte> buffer, ReadOnlySpan<byte> stream, long height, ReadOnlySpan<byte> parent, ReadOnlySpan<byte> type, ReadOnlySpan<byte> time, ReadOnlySpan<byte> payloadHash)
    {
        var w = new SpanWriter(buffer);
        w.Write("{\"stream\":\""u8); w.Write(stream);
        w.Write("\",\"height\":"u8); w.WriteInt(height);
        w.Write(",\"parent\":"u8);
        if (parent.IsEmpty) { w.Write("null"u8); } else { w.Write("\""u8); w.Write(parent); w.Write("\""u8); }
        w.Write(",\"type\":\""u8); w.Write(type);
        w.Write("\",\"time\":\""u8); w.Write(time);
        w.Write("\",\"payload\":\""u8); w.Write(payloadHash);
        w.Write("\"}"u8);
        return w.Length;
    }

    public static string Sha256Hex(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>Builds the event that follows <paramref name="parent"/> (or starts the stream when null).</summary>
    public static JournalEvent Create(string stream, JournalEvent? parent, string type, string time, string payload)
    {
        var payloadHash = Sha256Hex(Encoding.UTF8.GetBytes(payload));
        var height = parent is null ? 0 : checked(parent.Height + 1);
        var hash = Sha256Hex(Header(stream, height, parent?.Hash, type, time, payloadHash));
        return new JournalEvent(stream, height, parent?.Hash, type, time, payloadHash, payload, hash);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._:/-]{0,199}$")]
    private static partial Regex NamePattern();

    private ref struct SpanWriter(Span<byte> buffer)
    {
        private readonly Span<byte> _buffer = buffer;

        public int Length { get; private set; }

        public void Write(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(_buffer[Length..]);
            Length += bytes.Length;
        }

        public void WriteInt(long value)
        {
            System.Buffers.Text.Utf8Formatter.TryFormat(value, _buffer[Length..], out var written);
            Length += written;
        }
    }
}
