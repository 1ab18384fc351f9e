using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using Socle.Platform.Storage;

namespace Socle.Modules.Batteries.Passports;

/// <summary>
/// One version of a passport as it is signed, hashed and journaled. Its bytes are written once, in a fixed member order,
/// and stored as they are: the SHA-256 of those bytes is the version's hash, the operator's JWS (ES256, detached payload)
/// signs them, each version names the previous version's hash, and the platform journal records the hash in the
/// passport's stream. Changing one stored byte breaks the hash, the signature and the journal at once.
/// </summary>
/// <remarks>
/// <code>
/// {"type":"socle/battery-passport-version","passport":"urn:socle:…","version":2,"previous":"&lt;hash of v1&gt;",
///  "recordedAt":"2026-03-01T09:30:00.123456Z","change":"dynamic","status":"Original","lifecycle":"active",
///  "operator":"op-…","signedBy":"op-…","batteryId":"(01)…(21)…","category":"ev","predecessor":null,"successor":null,
///  "salt":"&lt;32 hex&gt;","content":{…}}
/// </code>
/// The salt (128 random bits) keeps restricted values out of reach of anyone holding only the hash.
/// </remarks>
public sealed record PassportVersion(
    string Passport,
    int Version,
    string? Previous,
    DateTimeOffset RecordedAt,
    string Change,
    BatteryStatus Status,
    PassportLifecycle Lifecycle,
    string Operator,
    string SignedBy,
    string BatteryId,
    string Category,
    string? Predecessor,
    string? Successor,
    string Salt,
    JsonElement Content)
{
    public const string Type = "socle/battery-passport-version";

    public byte[] ToUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var w = new Utf8JsonWriter(buffer, JsonText.Writer))
        {
            w.WriteStartObject();
            w.WriteString("type", Type);
            w.WriteString("passport", Passport);
            w.WriteNumber("version", Version);
            WriteNullable(w, "previous", Previous);
            w.WriteString("recordedAt", Sql.Time(RecordedAt));
            w.WriteString("change", Change);
            w.WriteString("status", Status.ToString());
            w.WriteString("lifecycle", Lifecycle.ToString().ToLowerInvariant());
            w.WriteString("operator", Operator);
            w.WriteString("signedBy", SignedBy);
            w.WriteString("batteryId", BatteryId);
            w.WriteString("category", Category);
            WriteNullable(w, "predecessor", Predecessor);
            WriteNullable(w, "successor", Successor);
            w.WriteString("salt", Salt);
            w.WritePropertyName("content");
            Content.WriteTo(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static string Hash(ReadOnlySpan<byte> document) => Convert.ToHexStringLower(SHA256.HashData(document));

    /// <summary>Reads a stored version document; throws <see cref="JsonException"/> or <see cref="FormatException"/> when it is not one.</summary>
    public static PassportVersion Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        if (r.GetProperty("type").GetString() != Type)
        {
            throw new FormatException("not a passport version document");
        }
        return new PassportVersion(
            r.GetProperty("passport").GetString()!,
            r.GetProperty("version").GetInt32(),
            NullableString(r, "previous"),
            Sql.ParseTime(r.GetProperty("recordedAt").GetString()!),
            r.GetProperty("change").GetString()!,
            Enum.Parse<BatteryStatus>(r.GetProperty("status").GetString()!),
            Enum.Parse<PassportLifecycle>(r.GetProperty("lifecycle").GetString()!, ignoreCase: true),
            r.GetProperty("operator").GetString()!,
            r.GetProperty("signedBy").GetString()!,
            r.GetProperty("batteryId").GetString()!,
            r.GetProperty("category").GetString()!,
            NullableString(r, "predecessor"),
            NullableString(r, "successor"),
            r.GetProperty("salt").GetString()!,
            r.GetProperty("content").Clone());
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static string? NullableString(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}

/// <summary>The registry's head row of a passport: what its latest version says.</summary>
public sealed record PassportHead(
    string Id,
    Guid Uuid,
    string BatteryId,
    string OperatorId,
    string Category,
    string? Chemistry,
    BatteryStatus Status,
    PassportLifecycle Lifecycle,
    int CurrentVersion,
    string CurrentHash,
    string? PredecessorId,
    string? SuccessorId,
    string? ManufacturedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A stored version's metadata: number, time, change, hash, key, journal position.</summary>
public sealed record VersionInfo(int Version, DateTimeOffset RecordedAt, string Change, BatteryStatus Status, string SignedBy, string Hash, string KeyId, string JournalStream, long JournalHeight, string JournalHash);

/// <summary>What a write returns: the passport's head after it and the version it recorded, plus import warnings.</summary>
public sealed record PassportRecord(PassportHead Head, VersionInfo Version, IReadOnlyList<ContentProblem> Warnings);
