using System.Globalization;
using System.Text;
using Socle.Modules.Voting.Crypto;

namespace Socle.Modules.Voting.Records.Board;

/// <summary>What a board file holds: the header, then data and events, each named by the SHA-256 of its content.</summary>
public enum RecordKind
{
    Header,
    Data,
    Event,
}

/// <summary>One file of a board archive, with its position for error messages.</summary>
public sealed record BoardRecord(RecordKind Kind, string NameHash, byte[] Content, long Offset, int Index)
{
    private string? _text;

    /// <summary>The content as UTF-8 text (strictly decoded).</summary>
    public string Text => _text ??= Archive.Utf8.GetString(Content);

    public string FileName => Kind == RecordKind.Header ? "BELENIOS" : $"{NameHash}.{(Kind == RecordKind.Data ? "data" : "event")}.json";
}

/// <summary>Limits for reading boards from untrusted sources.</summary>
public sealed record ArchiveLimits(long MaxTotalBytes, long MaxEntryBytes, int MaxEntries)
{
    /// <summary>For the command line: big elections (a million ballots is about 5 GB).</summary>
    public static readonly ArchiveLimits Generous = new(16L << 30, 64 << 20, 10_000_000);
}

/// <summary>
/// The public board file (<c>&lt;uuid&gt;.bel</c>, specification §Public data): an old-style tar archive written
/// exactly as Belenios writes it — a <c>BELENIOS</c> header file, then files named <c>&lt;sha256&gt;.data.json</c>
/// and <c>&lt;sha256&gt;.event.json</c>, 512-byte blocks, mode 0644, uid/gid 0, the election start as mtime, no
/// end-of-archive blocks. Belenios' tool checks a board by regenerating it byte for byte, so the writer must match.
/// <para>The reader treats the file as untrusted: names must be the header or a hash with a known suffix (so no path can
/// escape anywhere: nothing is extracted to disk), header checksums must hold, and sizes are bounded.</para>
/// </summary>
public static class Archive
{
    public const int BlockSize = 512;

    internal static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>A problem in the archive structure, with the byte offset and the file index where it was found.</summary>
    public sealed class ArchiveException(string message, long offset, int index) : Exception(message)
    {
        public long Offset { get; } = offset;

        public int Index { get; } = index;
    }

    public static IEnumerable<BoardRecord> Read(Stream stream, ArchiveLimits limits)
    {
        var header = new byte[BlockSize];
        long offset = 0;
        var index = 0;
        while (true)
        {
            var n = ReadFully(stream, header);
            if (n == 0)
            {
                yield break;
            }
            if (n < BlockSize)
            {
                throw new ArchiveException("the archive ends in the middle of a file header (truncated)", offset, index);
            }
            if (header.All(b => b == 0))
            {
                // End-of-archive blocks written by ordinary tar tools: nothing may follow but zeros.
                var rest = new byte[BlockSize];
                while ((n = ReadFully(stream, rest)) > 0)
                {
                    if (rest.AsSpan(0, n).IndexOfAnyExcept((byte)0) >= 0)
                    {
                        throw new ArchiveException("data after the end-of-archive marker", offset, index);
                    }
                }
                yield break;
            }
            var nameEnd = Array.IndexOf(header, (byte)0, 0, 100);
            var name = Encoding.ASCII.GetString(header, 0, nameEnd < 0 ? 100 : nameEnd);
            if (!VerifyChecksum(header))
            {
                throw new ArchiveException($"file header of '{Printable(name)}' has a wrong checksum (corrupted archive)", offset, index);
            }
            if (header[156] is not ((byte)'0' or 0))
            {
                throw new ArchiveException($"'{Printable(name)}' is not a regular file (links and directories are not allowed in a board)", offset, index);
            }
            var size = ParseOctal(header.AsSpan(124, 12));
            if (size < 0 || size > limits.MaxEntryBytes)
            {
                throw new ArchiveException($"'{Printable(name)}' is {size} bytes, more than the limit of {limits.MaxEntryBytes}", offset, index);
            }
            if (offset + BlockSize + size > limits.MaxTotalBytes)
            {
                throw new ArchiveException($"the archive is larger than the limit of {limits.MaxTotalBytes} bytes", offset, index);
            }
            if (index >= limits.MaxEntries)
            {
                throw new ArchiveException($"the archive has more than {limits.MaxEntries} files", offset, index);
            }
            RecordKind kind;
            string hash;
            if (index == 0)
            {
                if (name != "BELENIOS")
                {
                    throw new ArchiveException($"the first file is '{Printable(name)}', not the BELENIOS header", offset, index);
                }
                kind = RecordKind.Header;
                hash = "";
            }
            else if (name.Length == 64 + 10 && name.EndsWith(".data.json", StringComparison.Ordinal) && Hashing.IsHexHash(name[..64]))
            {
                kind = RecordKind.Data;
                hash = name[..64];
            }
            else if (name.Length == 64 + 11 && name.EndsWith(".event.json", StringComparison.Ordinal) && Hashing.IsHexHash(name[..64]))
            {
                kind = RecordKind.Event;
                hash = name[..64];
            }
            else
            {
                throw new ArchiveException($"unexpected file name '{Printable(name)}' (a board holds only <sha256>.data.json and <sha256>.event.json)", offset, index);
            }
            var content = new byte[size];
            if (ReadFully(stream, content) < size)
            {
                throw new ArchiveException($"'{name}' is cut short (truncated archive)", offset, index);
            }
            var padding = (int)((BlockSize - (size % BlockSize)) % BlockSize);
            if (padding > 0)
            {
                var pad = new byte[padding];
                if (ReadFully(stream, pad) < padding)
                {
                    throw new ArchiveException($"'{name}' is cut short (truncated archive)", offset, index);
                }
            }
            yield return new BoardRecord(kind, hash, content, offset, index);
            offset += BlockSize + size + padding;
            index++;
        }
    }

    private static string Printable(string s) => new(s.Select(c => c is >= ' ' and < (char)127 ? c : '?').Take(80).ToArray());

    private static int ReadFully(Stream stream, byte[] buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer, total, buffer.Length - total);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    private static long ParseOctal(ReadOnlySpan<byte> field)
    {
        long value = 0;
        var any = false;
        foreach (var b in field)
        {
            if (b is 0 or (byte)' ')
            {
                if (any)
                {
                    break;
                }
                continue;
            }
            if (b is < (byte)'0' or > (byte)'7')
            {
                return -1;
            }
            value = (value * 8) + (b - '0');
            any = true;
            if (value > (1L << 40))
            {
                return -1;
            }
        }
        return value;
    }

    private static bool VerifyChecksum(byte[] header)
    {
        var stored = ParseOctal(header.AsSpan(148, 8));
        long sum = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            sum += i is >= 148 and < 156 ? ' ' : header[i];
        }
        return stored == sum;
    }

    /// <summary>Writes one file exactly as Belenios' archive writer does.</summary>
    public static void WriteRecord(Stream stream, string name, ReadOnlySpan<byte> content, long timestamp)
    {
        var header = new byte[BlockSize];
        Encoding.ASCII.GetBytes(name, header.AsSpan(0, 100));
        Put(header, 100, "0000644");
        Put(header, 108, "0000000");
        Put(header, 116, "0000000");
        Put(header, 124, Convert.ToString(content.Length, 8).PadLeft(11, '0'));
        Put(header, 136, Convert.ToString(timestamp, 8).PadLeft(11, '0'));
        Put(header, 148, "        ");
        Put(header, 156, "0");
        var sum = 0;
        foreach (var b in header)
        {
            sum += b;
        }
        var checksum = Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ");
        checksum.CopyTo(header, 148);
        stream.Write(header);
        stream.Write(content);
        var padding = (BlockSize - (content.Length % BlockSize)) % BlockSize;
        if (padding > 0)
        {
            stream.Write(new byte[padding]);
        }
    }

    private static void Put(byte[] header, int offset, string s) => Encoding.ASCII.GetBytes(s, header.AsSpan(offset));

    /// <summary>The header file's content: {"version":1,"timestamp":"&lt;seconds&gt;"}.</summary>
    public static string HeaderJson(long timestamp) => "{\"version\":1,\"timestamp\":\"" + timestamp.ToString(CultureInfo.InvariantCulture) + "\"}";

    /// <summary>Reads the timestamp (seconds since 1970) of a header file.</summary>
    public static long ParseHeader(string json)
    {
        using var doc = Json.ParseDocument(json, "BELENIOS header");
        var r = doc.RootElement;
        if (r.Get("version", "header").Int("header.version") != 1)
        {
            throw new RecordFormatException("BELENIOS header: unsupported archive version");
        }
        var t = r.Get("timestamp", "header");
        var text = t.ValueKind == System.Text.Json.JsonValueKind.String ? t.GetString()! : t.GetRawText();
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new RecordFormatException("BELENIOS header: timestamp is not a number of seconds");
    }
}
