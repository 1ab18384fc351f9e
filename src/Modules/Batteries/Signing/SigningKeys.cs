using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using Socle.Platform.Storage;

namespace Socle.Modules.Batteries.Signing;

/// <summary>An operator's signing key, ready to sign. Signing is serialised per instance; <see cref="Clone"/> gives a
/// worker its own instance for parallel work (bulk import).</summary>
public sealed class SigningKey(string keyId, string operatorId, ECDsa key) : IDisposable
{
    private readonly Lock _lock = new();

    public string KeyId { get; } = keyId;

    public string OperatorId { get; } = operatorId;

    public PublicJwk Public { get; } = PublicJwk.From(key);

    public string SignDetached(ReadOnlySpan<byte> payload)
    {
        lock (_lock)
        {
            return Jws.SignDetached(key, KeyId, payload);
        }
    }

    public SigningKey Clone()
    {
        var copy = ECDsa.Create();
        lock (_lock)
        {
            copy.ImportParameters(key.ExportParameters(includePrivateParameters: true));
        }
        return new SigningKey(KeyId, OperatorId, copy);
    }

    public void Dispose() => key.Dispose();
}

/// <summary>
/// Operators' ECDSA P-256 signing keys. The private key is stored encrypted with ASP.NET Core Data Protection (the key ring
/// under <c>Socle:DataProtection:KeysDirectory</c>, shared by the server and the CLI); it is never logged nor returned by
/// any API. Public keys are published (JWKS) so that anyone can check a signature. Retired keys still verify old versions.
/// </summary>
public sealed class SigningKeys(Database db, IDataProtectionProvider protection, TimeProvider time, ILogger<SigningKeys> logger)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Socle.Batteries.SigningKeys.v1");
    private readonly ConcurrentDictionary<string, SigningKey> _current = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (string OperatorId, PublicJwk Jwk)> _public = new(StringComparer.Ordinal);

    /// <summary>Creates a new key for an operator inside the caller's transaction; the previous one is retired.</summary>
    public async Task<SigningKey> CreateAsync(DbConnection c, DbTransaction tx, string operatorId, CancellationToken ct)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signing = new SigningKey(PublicJwk.From(key).Thumbprint(), operatorId, key);
        var now = Sql.Time(time.GetUtcNow());
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE battery_signing_keys SET retired_at = @now WHERE party_id = @operatorId AND retired_at IS NULL",
            new { now, operatorId }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO battery_signing_keys (key_id, party_id, public_jwk, private_key, created_at) VALUES (@KeyId, @operatorId, @jwk, @secret, @now)",
            new { signing.KeyId, operatorId, jwk = signing.Public.ToJson(), secret = _protector.Protect(Convert.ToBase64String(key.ExportPkcs8PrivateKey())), now },
            tx, cancellationToken: ct));
        _current.TryRemove(operatorId, out _);
        Log.KeyCreated(logger, signing.KeyId, operatorId);
        return signing;
    }

    /// <summary>Retires the operator's key and creates a new one (after a suspected compromise or by policy).</summary>
    public Task<SigningKey> RotateAsync(string operatorId, CancellationToken ct) =>
        db.InTransactionAsync((c, tx) => CreateAsync(c, tx, operatorId, ct), ct);

    /// <summary>The operator's current key.</summary>
    public async Task<SigningKey> CurrentAsync(string operatorId, CancellationToken ct)
    {
        if (_current.TryGetValue(operatorId, out var cached))
        {
            return cached;
        }
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string KeyId, string PrivateKey)>(new CommandDefinition(
            "SELECT key_id, private_key FROM battery_signing_keys WHERE party_id = @operatorId AND retired_at IS NULL ORDER BY created_at DESC LIMIT 1",
            new { operatorId }, cancellationToken: ct));
        if (row.KeyId is null)
        {
            throw new InvalidOperationException($"Operator {operatorId} has no signing key.");
        }
        var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(Convert.FromBase64String(_protector.Unprotect(row.PrivateKey)), out _);
        var signing = new SigningKey(row.KeyId, operatorId, key);
        return _current.GetOrAdd(operatorId, signing);
    }

    /// <summary>A public key by id, with the operator it belongs to; null when unknown.</summary>
    public async Task<(string OperatorId, PublicJwk Jwk)?> PublicAsync(string keyId, CancellationToken ct)
    {
        if (_public.TryGetValue(keyId, out var cached))
        {
            return cached;
        }
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string PartyId, string PublicJwk)>(new CommandDefinition(
            "SELECT party_id, public_jwk FROM battery_signing_keys WHERE key_id = @keyId", new { keyId }, cancellationToken: ct));
        if (row.PartyId is null)
        {
            return null;
        }
        var entry = (row.PartyId, Signing.PublicJwk.Parse(row.PublicJwk));
        _public[keyId] = entry;
        return entry;
    }

    /// <summary>The operator's public keys (JWKS), current and retired.</summary>
    public async Task<IReadOnlyList<PublishedKey>> ForOperatorAsync(string operatorId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string KeyId, string PublicJwk, string CreatedAt, string? RetiredAt)>(new CommandDefinition(
            "SELECT key_id, public_jwk, created_at, retired_at FROM battery_signing_keys WHERE party_id = @operatorId ORDER BY created_at",
            new { operatorId }, cancellationToken: ct));
        return rows.Select(r => new PublishedKey(r.KeyId, Signing.PublicJwk.Parse(r.PublicJwk), Sql.ParseTime(r.CreatedAt), r.RetiredAt is null ? null : Sql.ParseTime(r.RetiredAt))).ToList();
    }
}

public sealed record PublishedKey(string KeyId, PublicJwk Jwk, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);
