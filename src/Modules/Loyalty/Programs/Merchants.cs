using System.Data.Common;
using System.Text.Json;
using Dapper;
using Socle.Modules.Loyalty.Members;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Loyalty.Programs;

public sealed record Merchant(string Id, string Name, string JoinCode, string QrKey, string? WebhookUrl, string? WebhookSecret, string CreatedAt)
{
    public byte[] QrKeyBytes => Convert.FromBase64String(QrKey.Replace('-', '+').Replace('_', '/') + new string('=', (4 - QrKey.Length % 4) % 4));
}

public sealed record Programme(string MerchantId, long Version, string Name, ProgrammeDefinition Definition, string CreatedAt);

public sealed record Staff(string Id, string MerchantId, string Name, string Role)
{
    public const string Owner = "owner";
    public const string Cashier = "cashier";
    public bool IsOwner => Role == Owner;
}

public sealed record Reward(string Id, string MerchantId, string Name, string Kind, long Cost, long Value_cents, int ValidDays, bool Active);

public sealed record Store(string Id, string MerchantId, string Name, string CreatedAt);

/// <summary>What the setup wizard asks: the shop, its first store, the owner, the programme and a first reward.</summary>
public sealed record SetUpShop(string ShopName, string StoreName, string OwnerName, string ProgrammeName, ProgrammeDefinition Programme, string RewardName, long RewardCost, long RewardValue_cents, string RewardKind = "free_item");

/// <summary>The wizard's result: the owner's access key is shown once and never stored in clear.</summary>
public sealed record ShopCreated(string MerchantId, string JoinCode, string OwnerKey, string StoreId, string RewardId);

/// <summary>Merchants, their stores, staff, programme versions and reward catalogue.</summary>
public sealed class Merchants(Database db, TimeProvider time, Platform.Journal.Journal journal)
{
    public static readonly string[] RewardKinds = ["free_item", "discount", "gift"];

    public static Checks CheckSetup(SetUpShop s)
    {
        var c = new Checks();
        c.Require(s.ShopName, "shop_name", 120);
        c.Require(s.StoreName, "store_name", 120);
        c.Require(s.OwnerName, "owner_name", 120);
        c.Require(s.ProgrammeName, "programme_name", 120);
        c.Require(s.RewardName, "reward_name", 120);
        c.That(s.RewardCost is > 0 and <= 100_000_000, "reward_cost", "must be between 1 and 100000000");
        c.That(s.RewardValue_cents is >= 0 and <= 100_000_00, "reward_value_cents", "must be between 0 and 10000000");
        c.That(RewardKinds.Contains(s.RewardKind), "reward_kind", "must be free_item, discount or gift");
        return c;
    }

    /// <summary>The setup wizard: a running programme in one step.</summary>
    public async Task<Result<ShopCreated>> SetUpAsync(SetUpShop s, CancellationToken ct = default)
    {
        var checks = CheckSetup(s);
        if (!s.Programme.Validate().TryGet(out _, out var programmeError))
        {
            foreach (var (field, messages) in programmeError.Fields ?? new Dictionary<string, string[]>())
            {
                foreach (var m in messages)
                {
                    checks.Add("programme." + field, m);
                }
            }
        }
        if (checks.Failed)
        {
            return checks.ToError();
        }
        var now = Sql.Time(time.GetUtcNow());
        var merchantId = MemberCode.NewId("mer");
        var joinCode = MemberCode.NewId("j")[2..];
        var ownerKey = "lk_" + MemberCode.NewSecret(24);
        var storeId = MemberCode.NewId("sto");
        var rewardId = MemberCode.NewId("rew");
        await db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO loyalty_merchants (id, name, join_code, qr_key, created_at) VALUES (@merchantId, @name, @joinCode, @key, @now)",
                new { merchantId, name = s.ShopName.Trim(), joinCode, key = MemberCode.NewSecret(32), now }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO loyalty_stores (id, merchant_id, name, created_at) VALUES (@storeId, @merchantId, @name, @now)",
                new { storeId, merchantId, name = s.StoreName.Trim(), now }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO loyalty_staff (id, merchant_id, name, role, key_hash, created_at) VALUES (@id, @merchantId, @name, 'owner', @hash, @now)",
                new { id = MemberCode.NewId("stf"), merchantId, name = s.OwnerName.Trim(), hash = MemberCode.Sha256(ownerKey), now }, tx, cancellationToken: ct));
            await InsertProgrammeAsync(c, tx, merchantId, 1, s.ProgrammeName.Trim(), s.Programme, now, ct);
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO loyalty_rewards (id, merchant_id, name, kind, cost, value_cents, valid_days, active, created_at) VALUES (@rewardId, @merchantId, @name, @kind, @cost, @value, 30, 1, @now)",
                new { rewardId, merchantId, name = s.RewardName.Trim(), kind = s.RewardKind, cost = s.RewardCost, value = s.RewardValue_cents, now }, tx, cancellationToken: ct));
            await journal.AppendAsync(c, tx, $"loyalty/merchant/{merchantId}", "merchant.created",
                JsonSerializer.Serialize(new { merchant = merchantId, programme_version = 1, reward = rewardId }), ct);
        }, ct);
        return new ShopCreated(merchantId, joinCode, ownerKey, storeId, rewardId);
    }

    private static Task InsertProgrammeAsync(DbConnection c, DbTransaction tx, string merchantId, long version, string name, ProgrammeDefinition d, string now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO loyalty_programmes (merchant_id, version, name, definition, created_at) VALUES (@merchantId, @version, @name, @definition, @now)",
            new { merchantId, version, name, definition = d.ToJson(), now }, tx, cancellationToken: ct));

    /// <summary>A new version of the programme; earlier purchases keep what they earned under the version of their time.</summary>
    public async Task<Result<Programme>> UpdateProgrammeAsync(string merchantId, string name, ProgrammeDefinition definition, CancellationToken ct = default)
    {
        var c0 = new Checks().Require(name, "name", 120);
        if (c0.Failed)
        {
            return c0.ToError();
        }
        if (!definition.Validate().TryGet(out _, out var error))
        {
            return error;
        }
        var now = Sql.Time(time.GetUtcNow());
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var version = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COALESCE(MAX(version), 0) FROM loyalty_programmes WHERE merchant_id = @merchantId", new { merchantId }, tx, cancellationToken: ct)) + 1;
            await InsertProgrammeAsync(c, tx, merchantId, version, name.Trim(), definition, now, ct);
            await journal.AppendAsync(c, tx, $"loyalty/merchant/{merchantId}", "programme.changed",
                JsonSerializer.Serialize(new { version, definition_sha256 = MemberCode.Sha256(definition.ToJson()) }), ct);
            return Result<Programme>.Ok(new Programme(merchantId, version, name.Trim(), definition, now));
        }, ct);
    }

    public async Task<Merchant?> GetAsync(string merchantId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<Merchant>(new CommandDefinition(
            "SELECT id, name, join_code AS JoinCode, qr_key AS QrKey, webhook_url AS WebhookUrl, webhook_secret AS WebhookSecret, created_at AS CreatedAt FROM loyalty_merchants WHERE id = @merchantId",
            new { merchantId }, cancellationToken: ct));
    }

    public async Task<Merchant?> ByJoinCodeAsync(string joinCode, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await c.QuerySingleOrDefaultAsync<Merchant>(new CommandDefinition(
            "SELECT id, name, join_code AS JoinCode, qr_key AS QrKey, webhook_url AS WebhookUrl, webhook_secret AS WebhookSecret, created_at AS CreatedAt FROM loyalty_merchants WHERE join_code = @joinCode",
            new { joinCode }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<Merchant>> ListAsync(CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Merchant>(new CommandDefinition(
            "SELECT id, name, join_code AS JoinCode, qr_key AS QrKey, webhook_url AS WebhookUrl, webhook_secret AS WebhookSecret, created_at AS CreatedAt FROM loyalty_merchants ORDER BY created_at",
            cancellationToken: ct))).AsList();
    }

    public async Task<Programme?> ProgrammeAsync(string merchantId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return await ProgrammeAsync(c, null, merchantId, ct);
    }

    internal static async Task<Programme?> ProgrammeAsync(DbConnection c, DbTransaction? tx, string merchantId, CancellationToken ct)
    {
        var row = await c.QuerySingleOrDefaultAsync<(string MerchantId, long Version, string Name, string Definition, string CreatedAt)>(new CommandDefinition(
            "SELECT merchant_id, version, name, definition, created_at FROM loyalty_programmes WHERE merchant_id = @merchantId ORDER BY version DESC LIMIT 1",
            new { merchantId }, tx, cancellationToken: ct));
        if (row.MerchantId is null)
        {
            return null;
        }
        return new Programme(row.MerchantId, row.Version, row.Name, ProgrammeDefinition.Parse(row.Definition).Value, row.CreatedAt);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Staff Staff, DateTimeOffset Until)> _keys = new(StringComparer.Ordinal);

    /// <summary>How long a checked key is trusted without asking the database again (a till sends many requests).</summary>
    public static readonly TimeSpan KeyCacheDuration = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The staff member holding this access key, or null (revoked or unknown). Keys are stored as SHA-256 only; a valid key
    /// is remembered for <see cref="KeyCacheDuration"/>, so a revocation takes effect within that time.
    /// </summary>
    public async Task<Staff?> AuthenticateAsync(string key, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(key) || key.Length > 200)
        {
            return null;
        }
        var hash = MemberCode.Sha256(key.Trim());
        var now = time.GetUtcNow();
        if (_keys.TryGetValue(hash, out var cached) && cached.Until > now)
        {
            return cached.Staff;
        }
        await using var c = await db.OpenAsync(ct);
        var staff = await c.QuerySingleOrDefaultAsync<Staff>(new CommandDefinition(
            "SELECT id, merchant_id AS MerchantId, name, role FROM loyalty_staff WHERE key_hash = @hash AND revoked_at IS NULL",
            new { hash }, cancellationToken: ct));
        if (staff is not null)
        {
            _keys[hash] = (staff, now + KeyCacheDuration);
        }
        return staff;
    }

    /// <summary>Adds a staff account (owner or cashier) and returns its access key, shown once.</summary>
    public async Task<Result<(Staff Staff, string Key)>> AddStaffAsync(string merchantId, string name, string role, CancellationToken ct = default)
    {
        var checks = new Checks().Require(name, "name", 120).That(role is Staff.Owner or Staff.Cashier, "role", "must be owner or cashier");
        if (checks.Failed)
        {
            return checks.ToError();
        }
        var key = "lk_" + MemberCode.NewSecret(24);
        var staff = new Staff(MemberCode.NewId("stf"), merchantId, name.Trim(), role);
        await db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO loyalty_staff (id, merchant_id, name, role, key_hash, created_at) VALUES (@Id, @MerchantId, @Name, @Role, @hash, @now)",
                new { staff.Id, staff.MerchantId, staff.Name, staff.Role, hash = MemberCode.Sha256(key), now = Sql.Time(time.GetUtcNow()) }, tx, cancellationToken: ct));
            await journal.AppendAsync(c, tx, $"loyalty/merchant/{merchantId}", "staff.added", JsonSerializer.Serialize(new { staff = staff.Id, role }), ct);
        }, ct);
        return (staff, key);
    }

    public async Task<IReadOnlyList<Reward>> RewardsAsync(string merchantId, bool activeOnly = true, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<RewardRow>(new CommandDefinition(
            "SELECT id, merchant_id AS MerchantId, name, kind, cost, value_cents AS ValueCents, valid_days AS ValidDays, active FROM loyalty_rewards " +
            "WHERE merchant_id = @merchantId" + (activeOnly ? " AND active = 1" : "") + " ORDER BY cost, name",
            new { merchantId }, cancellationToken: ct))).Select(r => r.ToReward()).ToList();
    }

    public async Task<Result<Reward>> AddRewardAsync(string merchantId, string name, string kind, long cost, long value_cents, int validDays, CancellationToken ct = default)
    {
        var checks = new Checks().Require(name, "name", 120)
            .That(RewardKinds.Contains(kind), "kind", "must be free_item, discount or gift")
            .That(cost is > 0 and <= 100_000_000, "cost", "must be between 1 and 100000000")
            .That(value_cents is >= 0 and <= 100_000_00, "value_cents", "must be between 0 and 10000000")
            .That(validDays is >= 1 and <= 365, "valid_days", "must be between 1 and 365");
        if (checks.Failed)
        {
            return checks.ToError();
        }
        var reward = new Reward(MemberCode.NewId("rew"), merchantId, name.Trim(), kind, cost, value_cents, validDays, true);
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO loyalty_rewards (id, merchant_id, name, kind, cost, value_cents, valid_days, active, created_at) VALUES (@Id, @MerchantId, @Name, @Kind, @Cost, @Value_cents, @ValidDays, 1, @now)",
            new { reward.Id, reward.MerchantId, reward.Name, reward.Kind, reward.Cost, reward.Value_cents, reward.ValidDays, now = Sql.Time(time.GetUtcNow()) }, cancellationToken: ct));
        return reward;
    }

    /// <summary>Adds a store (a second shop, a market stall): purchases can name the store they were made in.</summary>
    public async Task<Result<Store>> AddStoreAsync(string merchantId, string name, CancellationToken ct = default)
    {
        var checks = new Checks().Require(name, "name", 120);
        if (checks.Failed)
        {
            return checks.ToError();
        }
        var store = new Store(MemberCode.NewId("sto"), merchantId, name.Trim(), Sql.Time(time.GetUtcNow()));
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("INSERT INTO loyalty_stores (id, merchant_id, name, created_at) VALUES (@Id, @MerchantId, @Name, @CreatedAt)", store, cancellationToken: ct));
        return store;
    }

    public async Task<IReadOnlyList<Store>> StoresAsync(string merchantId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        return (await c.QueryAsync<Store>(new CommandDefinition(
            "SELECT id, merchant_id AS MerchantId, name, created_at AS CreatedAt FROM loyalty_stores WHERE merchant_id = @merchantId ORDER BY created_at", new { merchantId }, cancellationToken: ct))).AsList();
    }

    /// <summary>Sets the merchant's webhook (HMAC-SHA256 signed deliveries); returns the signing secret.</summary>
    public async Task<Result<string>> SetWebhookAsync(string merchantId, string url, CancellationToken ct = default)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
        {
            return Error.Validation("url", "must be an absolute http(s) URL");
        }
        var secret = "whsec_" + MemberCode.NewSecret(24);
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition("UPDATE loyalty_merchants SET webhook_url = @url, webhook_secret = @secret WHERE id = @merchantId",
            new { url, secret, merchantId }, cancellationToken: ct));
        return secret;
    }

    private sealed class RewardRow
    {
        public string Id { get; set; } = "";
        public string MerchantId { get; set; } = "";
        public string Name { get; set; } = "";
        public string Kind { get; set; } = "";
        public long Cost { get; set; }
        public long ValueCents { get; set; }
        public long ValidDays { get; set; }
        public long Active { get; set; }

        public Reward ToReward() => new(Id, MerchantId, Name, Kind, Cost, ValueCents, (int)ValidDays, Active == 1);
    }
}
