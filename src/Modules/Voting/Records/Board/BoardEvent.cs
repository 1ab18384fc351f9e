using System.Text;
using Socle.Modules.Voting.Crypto;

namespace Socle.Modules.Voting.Records.Board;

/// <summary>The event types of a Belenios public board (specification §Public data).</summary>
public enum EventType
{
    Setup,
    Ballot,
    EndBallots,
    EncryptedTally,
    Shuffle,
    EndShuffles,
    PartialDecryption,
    Result,
}

/// <summary>An event of the hash chain: {parent?, height, type, payload?}, hashes in hexadecimal.</summary>
public sealed record BoardEvent(string? Parent, int Height, EventType Type, string? Payload)
{
    /// <summary>The canonical text (the bytes that are hashed and stored).</summary>
    public string ToJson()
    {
        var sb = new StringBuilder(200);
        sb.Append('{');
        var first = true;
        if (Parent is not null)
        {
            sb.Field("parent", Parent, first: true);
            first = false;
        }
        sb.IntField("height", Height, first).Field("type", Type.ToString());
        if (Payload is not null)
        {
            sb.Field("payload", Payload);
        }
        return sb.Append('}').ToString();
    }

    public static BoardEvent Parse(string json)
    {
        using var doc = Json.ParseDocument(json, "event");
        var r = doc.RootElement;
        var parent = r.GetOptional("parent")?.String("event.parent");
        var payload = r.GetOptional("payload")?.String("event.payload");
        var typeText = r.Get("type", "event").String("event.type");
        if (!Enum.TryParse<EventType>(typeText, ignoreCase: false, out var type) || !Enum.IsDefined(type) || typeText.Any(char.IsDigit))
        {
            throw new RecordFormatException($"event.type: unknown event type '{typeText}'");
        }
        if (parent is not null && !Hashing.IsHexHash(parent) || payload is not null && !Hashing.IsHexHash(payload))
        {
            throw new RecordFormatException("event: parent and payload must be hexadecimal SHA-256 hashes");
        }
        var e = new BoardEvent(parent, r.Get("height", "event").Int("event.height"), type, payload);
        if (e.ToJson() != json)
        {
            throw new RecordFormatException("event: not in canonical form");
        }
        return e;
    }
}
