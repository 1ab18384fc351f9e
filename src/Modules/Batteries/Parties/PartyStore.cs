using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Socle.Modules.Batteries.Signing;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Batteries.Parties;

/// <summary>A newly registered party and its access key, shown once.</summary>
public sealed record RegisteredParty(Party Party, string AccessKey);

/// <summary>
/// Parties and their access keys. A key is 256 random bits (<c>sbk_…</c>), given once at registration; only its SHA-256 is
/// stored, and it is never logged. Registering an operator or a person with a legitimate interest also creates its signing key. Registrations are journaled.
/// </summary>
public sealed class PartyStore(Database db, Platform.Journal.Journal journal, SigningKeys keys, TimeProvider time, ILogger<PartyStore> logger)
{
    public const string KeyPrefix = "sbk_";
    public const string JournalStream = "batteries/parties";
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly ConcurrentDictionary<string, (Party? Party, DateTimeOffset Until)> _byKeyHash = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Party? Party, DateTimeOffset Until)> _byId = new(StringComparer.Ordinal);

    public static string HashKey(string accessKey) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(accessKey)));

    public static Error? Check(PartyRole role, string? name, PartyProfile profile)
    {
        var checks = new Checks();
        checks.Require(name, "name", 200);
        if (role == PartyRole.LegitimateInterest)
        {
            checks.That(profile.Interest is null || Party.Interests.Contains(profile.Interest), "interest", $"must be one of {string.Join(", ", Party.Interests)}");
        }
        if (profile.Bpnl is { } bpnl)
        {
            checks.That(System.Text.RegularExpressions.Regex.IsMatch(bpnl, "^BPNL[a-zA-Z0-9]{12}$"), "bpnl", "must be BPNL followed by 12 letters or digits");
        }
        if (profile.Bpna is { } bpna)
        {
            checks.That(System.Text.RegularExpressions.Regex.IsMatch(bpna, "^BPNA[a-zA-Z0-9]{12}$"), "bpna", "must be BPNA followed by 12 letters or digits");
        }
        if (profile.Email is { } email)
        {
            checks.That(Schemas.Formats.Check("email", email), "email", "must be an e-mail address");
        }
        if (profile.WebAddress is { } web)
        {
            checks.That(Schemas.Formats.IsUri(web), "webAddress", "must be an absolute URI (https://…)");
        }
        return checks.Failed ? checks.ToError() : null;
    }

    public async Task<Result<RegisteredParty>> RegisterAsync(PartyRole role, string name, PartyProfile profile, CancellationToken ct, string? id = null)
    {
        if (Check(role, name, profile) is { } error)
        {
            return error;
        }
        var accessKey = KeyPrefix + Base64Url.Encode(RandomNumberGenerator.GetBytes(32));
        var party = new Party(id ?? $"{Prefix(role)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", role, name.Trim(), profile, Sql.TruncateToMicroseconds(time.GetUtcNow()), null);
        await db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO battery_parties (id, role, name, profile, key_hash, created_at) VALUES (@Id, @role, @Name, @profile, @hash, @at)",
                new { party.Id, role = Party.RoleCode(role), party.Name, profile = JsonSerializer.Serialize(profile, Json), hash = HashKey(accessKey), at = Sql.Time(party.CreatedAt) },
                tx, cancellationToken: ct));
            if (role is PartyRole.Operator or PartyRole.LegitimateInterest)
            {
                // whoever may record a change signs it: operators, and repairers or recyclers recording a status
                await keys.CreateAsync(c, tx, party.Id, ct);
            }
            await journal.AppendAsync(c, tx, JournalStream, "battery.party.registered",
                JsonSerializer.Serialize(new { id = party.Id, role = Party.RoleCode(role), name = party.Name }, Json), ct);
        }, ct);
        Log.PartyRegistered(logger, party.Id, Party.RoleCode(role));
        return new RegisteredParty(party, accessKey);
    }

    /// <summary>The party holding this access key, or null (unknown or revoked key). Cached for 30 s.</summary>
    public async Task<Party?> AuthenticateAsync(string? accessKey, CancellationToken ct)
    {
        if (accessKey is null || !accessKey.StartsWith(KeyPrefix, StringComparison.Ordinal) || accessKey.Length > 100)
        {
            return null;
        }
        var hash = HashKey(accessKey);
        var now = time.GetUtcNow();
        if (_byKeyHash.TryGetValue(hash, out var hit) && hit.Until > now)
        {
            return hit.Party;
        }
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<PartyRow>(new CommandDefinition(
            "SELECT id, role, name, profile, created_at AS CreatedAt, revoked_at AS RevokedAt FROM battery_parties WHERE key_hash = @hash",
            new { hash }, cancellationToken: ct));
        var party = row?.ToParty() is { RevokedAt: null } p ? p : null;
        _byKeyHash[hash] = (party, now + CacheFor);
        return party;
    }

    public async Task<Party?> GetAsync(string id, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (_byId.TryGetValue(id, out var hit) && hit.Until > now)
        {
            return hit.Party;
        }
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<PartyRow>(new CommandDefinition(
            "SELECT id, role, name, profile, created_at AS CreatedAt, revoked_at AS RevokedAt FROM battery_parties WHERE id = @id",
            new { id }, cancellationToken: ct));
        var party = row?.ToParty();
        if (party is not null)
        {
            // only found parties are cached: an id looked up before its registration must be found right after it
            _byId[id] = (party, now + CacheFor);
        }
        return party;
    }

    public async Task<IReadOnlyList<Party>> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<PartyRow>(new CommandDefinition(
            "SELECT id, role, name, profile, created_at AS CreatedAt, revoked_at AS RevokedAt FROM battery_parties ORDER BY created_at, id", cancellationToken: ct));
        return rows.Select(r => r.ToParty()).ToList();
    }

    /// <summary>Revokes a party's access key (effective within 30 s on every server).</summary>
    public async Task<Result<Party>> RevokeAsync(string id, CancellationToken ct)
    {
        var done = await db.InTransactionAsync(async (c, tx) =>
        {
            var n = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE battery_parties SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL",
                new { id, at = Sql.Time(time.GetUtcNow()) }, tx, cancellationToken: ct));
            if (n > 0)
            {
                await journal.AppendAsync(c, tx, JournalStream, "battery.party.revoked", JsonSerializer.Serialize(new { id }, Json), ct);
            }
            return n;
        }, ct);
        _byId.TryRemove(id, out _);
        _byKeyHash.Clear();
        var party = await GetAsync(id, ct);
        return party is null ? Error.NotFound($"Party {id}") : done == 0 && party.RevokedAt is null ? Error.NotFound($"Party {id}") : party;
    }

    private static string Prefix(PartyRole role) => role switch
    {
        PartyRole.Operator => "op",
        PartyRole.LegitimateInterest => "li",
        PartyRole.NotifiedBody => "nb",
        PartyRole.MarketSurveillance => "msa",
        PartyRole.Commission => "ec",
        _ => "p",
    };

    private sealed record PartyRow(string Id, string Role, string Name, string Profile, string CreatedAt, string? RevokedAt)
    {
        public Party ToParty()
        {
            Party.TryParseRole(Role, out var role);
            return new Party(Id, role, Name, JsonSerializer.Deserialize<PartyProfile>(Profile, Json) ?? new PartyProfile(),
                Sql.ParseTime(CreatedAt), RevokedAt is null ? null : Sql.ParseTime(RevokedAt));
        }
    }
}
