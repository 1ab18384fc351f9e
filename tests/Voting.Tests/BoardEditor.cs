using System.Text;
using Socle.Modules.Voting.Crypto;
using Socle.Modules.Voting.Records;
using Socle.Modules.Voting.Records.Board;

namespace Socle.Voting.Tests;

/// <summary>
/// Edits a board for tampering tests. <see cref="Raw"/> changes bytes in place (the chain then breaks where the
/// change is); <see cref="Steps"/> is the logical content — each event with the data written before it — which
/// <see cref="Rechain"/> writes back with every hash, reference and parent recomputed, as a forger who controls the
/// whole board would, so that only the cryptographic checks can catch the change.
/// </summary>
public sealed class BoardEditor
{
    public sealed class Step(EventType type, List<string> data, bool hasPayload)
    {
        public EventType Type { get; set; } = type;

        /// <summary>The data files written before the event; the last one is its payload when it has one.</summary>
        public List<string> Data { get; } = data;

        public bool HasPayload { get; } = hasPayload;

        public string Payload
        {
            get => Data[^1];
            set => Data[^1] = value;
        }
    }

    public byte[] Raw { get; }

    public long Timestamp { get; }

    public List<Step> Steps { get; } = [];

    public BoardEditor(string path)
    {
        Raw = File.ReadAllBytes(path);
        using var stream = new MemoryStream(Raw);
        var records = Archive.Read(stream, ArchiveLimits.Generous).ToList();
        Timestamp = Archive.ParseHeader(records[0].Text);
        var pending = new List<string>();
        foreach (var r in records.Skip(1))
        {
            if (r.Kind == RecordKind.Data)
            {
                pending.Add(r.Text);
                continue;
            }
            var e = BoardEvent.Parse(r.Text);
            Steps.Add(new Step(e.Type, [.. pending], e.Payload is not null));
            pending.Clear();
        }
    }

    public IEnumerable<Step> Ballots => Steps.Where(s => s.Type == EventType.Ballot);

    /// <summary>Offset of the content of the <paramref name="n"/>-th file of the archive (0 = BELENIOS header).</summary>
    public long ContentOffset(int n)
    {
        using var stream = new MemoryStream(Raw);
        var r = Archive.Read(stream, ArchiveLimits.Generous).ElementAt(n);
        return r.Offset + Archive.BlockSize;
    }

    public int FileIndexOf(Func<BoardRecord, bool> predicate)
    {
        using var stream = new MemoryStream(Raw);
        return Archive.Read(stream, ArchiveLimits.Generous).First(predicate).Index;
    }

    /// <summary>Writes the steps as a consistent board: references, hashes, heights and parents recomputed.</summary>
    public byte[] Rechain()
    {
        using var output = new MemoryStream();
        Write(output, "BELENIOS", Archive.HeaderJson(Timestamp));
        string? parent = null;
        var height = 0;
        foreach (var step in Steps)
        {
            var data = step.Data;
            switch (step.Type)
            {
                case EventType.Setup:
                    data[3] = new SetupData(Hashing.Sha256Hex(data[0]), Hashing.Sha256Hex(data[1]), Hashing.Sha256Hex(data[2])).ToJson();
                    break;
                case EventType.EncryptedTally:
                    var sized = SizedEncryptedTally.Parse(data[1]);
                    data[1] = (sized with { EncryptedTallyHash = Hashing.Sha256Hex(data[0]) }).ToJson();
                    break;
                case EventType.PartialDecryption:
                    var owned = Owned.Parse(data[1]);
                    data[1] = (owned with { PayloadHash = Hashing.Sha256Hex(data[0]) }).ToJson();
                    break;
            }
            foreach (var d in data)
            {
                Write(output, $"{Hashing.Sha256Hex(d)}.data.json", d);
            }
            var e = new BoardEvent(parent, height, step.Type, step.HasPayload ? Hashing.Sha256Hex(step.Payload) : null).ToJson();
            Write(output, $"{Hashing.Sha256Hex(e)}.event.json", e);
            parent = Hashing.Sha256Hex(e);
            height++;
        }
        return output.ToArray();
    }

    private void Write(Stream s, string name, string content) => Archive.WriteRecord(s, name, Encoding.UTF8.GetBytes(content), Timestamp);

    /// <summary>Changes one decimal digit in the middle of a number field's value, keeping the text canonical.</summary>
    public static string FlipDigit(string json, string field, int occurrence = 0)
    {
        var key = $"\"{field}\":\"";
        var at = -1;
        for (var i = 0; i <= occurrence; i++)
        {
            at = json.IndexOf(key, at + 1, StringComparison.Ordinal);
        }
        var start = at + key.Length;
        var end = json.IndexOf('"', start);
        var mid = start + ((end - start) / 2);
        var digit = json[mid];
        var replacement = digit == '5' ? '6' : '5';
        return json[..mid] + replacement + json[(mid + 1)..];
    }
}
