using System.Buffers;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Socle.Modules.Batteries.Access;
using Socle.Modules.Batteries.Parties;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Batteries.Passports;

/// <summary>A passport as one reader sees it: the filtered content, and the registry facts that reader may know.</summary>
public sealed record PassportView(string PassportId, AccessGroup Group, PassportHead Head, byte[] Json)
{
    public JsonDocument Parse() => JsonDocument.Parse(Json);
}

/// <summary>
/// Reads passports for a reader: decides the reader's group for that passport, filters the content, and writes the JSON
/// the resolver and the API answer. Only readers who may see the battery's status (the operator, persons with a
/// legitimate interest) learn the version, the status, the predecessor and successor; the others see content only, so
/// that no change of restricted data shows through. Views are cached by (passport, version hash, group): a version never
/// changes; the head comes from the database — for the public, from <see cref="PassportHeadCache"/> when it was read
/// within <c>Socle:Batteries:ResolverHeadMilliseconds</c> (a change recorded on this server drops it at once).
/// </summary>
public sealed class PassportViews(Database db, PassportRegistry registry, PassportHeadCache heads, IOptions<BatteriesOptions> options)
{
    private readonly MemoryCache? _cache = options.Value.ResolverCacheEntries > 0
        ? new MemoryCache(new MemoryCacheOptions { SizeLimit = options.Value.ResolverCacheEntries })
        : null;

    public string PageUrl(string passportId) => $"{options.Value.PublicBaseUrl.TrimEnd('/')}/batteries/p/{passportId}";

    public async Task<Result<PassportView>> ReadAsync(string id, Party? reader, CancellationToken ct)
    {
        if (!PassportIds.IsValid(id))
        {
            return Error.NotFound($"Passport {id}");
        }
        // Public answers may come from a head read a moment ago (they are marked cacheable for 60 s anyway); readers with
        // a key always get the head from the database.
        if (reader is not null || !heads.TryGet(id, out var key))
        {
            await using (var c = await db.OpenAsync(ct))
            {
                key = await c.QuerySingleOrDefaultAsync<HeadKey>(new CommandDefinition(
                    "SELECT current_hash AS Hash, lifecycle, operator_id AS OperatorId FROM battery_passports WHERE id = @id", new { id }, cancellationToken: ct));
            }
            if (key is null)
            {
                return Error.NotFound($"Passport {id}");
            }
            if (reader is null)
            {
                heads.Set(id, key);
            }
        }
        var group = reader?.GroupFor(key.OperatorId) ?? AccessGroup.Public;
        if (key.Lifecycle == "ended" && group != AccessGroup.Operator)
        {
            return new Error(ErrorKind.NotFound, "passport_ended", $"Passport {id} has ceased to exist: the battery was recycled (Art. 77(8)).");
        }
        var cacheKey = (id, key.Hash, group);
        if (_cache is not null && _cache.TryGetValue(cacheKey, out PassportView? cached) && cached is not null)
        {
            return cached;
        }
        var raw = await registry.ReadCurrentRawAsync(id, ct);
        if (raw is null)
        {
            return Error.NotFound($"Passport {id}");
        }
        var head = raw.Value.Head.ToHead();
        using var document = JsonDocument.Parse(raw.Value.Document);
        var view = new PassportView(id, group, head, Write(head, document.RootElement.GetProperty("content"), group));
        _cache?.Set((id, head.CurrentHash, group), view, new MemoryCacheEntryOptions { Size = 1 });
        return view;
    }

    /// <summary>The JSON of a view: <c>passportId</c>, <c>batteryId</c>, <c>group</c>, <c>links</c>, <c>content</c>,
    /// and for readers who see the status, <c>registry</c> (version, status, lifecycle, dates, predecessor, successor).</summary>
    public byte[] Write(PassportHead head, JsonElement content, AccessGroup group)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var w = new Utf8JsonWriter(buffer, JsonText.Writer))
        {
            w.WriteStartObject();
            w.WriteString("passportId", head.Id);
            w.WriteString("batteryId", head.BatteryId);
            w.WriteString("group", group.Code());
            w.WriteStartObject("links");
            w.WriteString("page", PageUrl(head.Id));
            w.WriteString("qr", PageUrl(head.Id) + "/qr.svg");
            w.WriteEndObject();
            if (AccessRules.CanSeeStatus(group))
            {
                w.WriteStartObject("registry");
                w.WriteNumber("version", head.CurrentVersion);
                w.WriteString("hash", head.CurrentHash);
                w.WriteString("status", head.Status.ToString());
                w.WriteString("lifecycle", head.Lifecycle.ToString().ToLowerInvariant());
                w.WriteString("operator", head.OperatorId);
                w.WriteString("createdAt", Sql.Time(head.CreatedAt));
                w.WriteString("updatedAt", Sql.Time(head.UpdatedAt));
                if (head.PredecessorId is not null)
                {
                    w.WriteString("predecessor", head.PredecessorId);
                }
                if (head.SuccessorId is not null)
                {
                    w.WriteString("successor", head.SuccessorId);
                }
                w.WriteEndObject();
            }
            w.WritePropertyName("content");
            AccessFilter.Write(w, content, group);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
