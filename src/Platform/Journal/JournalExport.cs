using System.Text;
using System.Text.Json;

namespace Socle.Platform.Journal;

/// <summary>
/// The export format: JSON lines, one event per line in height order per stream, then one trailer line.
/// <code>
/// {"stream":"s","height":0,"parent":null,"type":"t","time":"…","payload_hash":"…","hash":"…","payload":{…}}
/// …
/// {"trailer":{"events":N,"heads":[{"stream":"s","height":H,"hash":"…"}]}}
/// </code>
/// The payload is written exactly as stored, so its bytes hash to <c>payload_hash</c>. The trailer lets a verifier see that
/// the end of the export is missing; to detect that whole events were cut off the end together with a forged trailer,
/// compare the head with one published elsewhere (<c>socle journal verify --expect-head</c>).
/// </summary>
public static class JournalExport
{
    public static async Task WriteAsync(Stream output, IAsyncEnumerable<JournalEvent> events, CancellationToken ct = default)
    {
        var heads = new Dictionary<string, JournalEvent>(StringComparer.Ordinal);
        var order = new List<string>();
        long count = 0;
        await using var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
        await foreach (var e in events.WithCancellation(ct))
        {
            await writer.WriteLineAsync(Line(e));
            if (!heads.ContainsKey(e.Stream))
            {
                order.Add(e.Stream);
            }
            heads[e.Stream] = e;
            count++;
        }
        await writer.WriteLineAsync(Trailer(count, order.Select(s => heads[s])));
        await writer.FlushAsync(ct);
    }

    public static string Line(JournalEvent e)
    {
        var sb = new StringBuilder(e.Payload.Length + 400);
        sb.Append("{\"stream\":\"").Append(e.Stream)
          .Append("\",\"height\":").Append(e.Height.ToString(System.Globalization.CultureInfo.InvariantCulture))
          .Append(",\"parent\":").Append(e.Parent is null ? "null" : $"\"{e.Parent}\"")
          .Append(",\"type\":\"").Append(e.Type)
          .Append("\",\"time\":\"").Append(e.Time)
          .Append("\",\"payload_hash\":\"").Append(e.PayloadHash)
          .Append("\",\"hash\":\"").Append(e.Hash)
          .Append("\",\"payload\":").Append(e.Payload)
          .Append('}');
        return sb.ToString();
    }

    public static string Trailer(long events, IEnumerable<JournalEvent> heads) =>
        JsonSerializer.Serialize(new
        {
            trailer = new
            {
                events,
                heads = heads.Select(h => new { stream = h.Stream, height = h.Height, hash = h.Hash }).ToArray(),
            },
        });
}
