using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Socle.Modules.Loyalty.Ledger;
using Socle.Modules.Loyalty.Programs;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Loyalty.Members;

/// <summary>The three consents, kept apart as the GDPR requires (Elkjøp decision, Datatilsynet 2026): joining never implies the others.</summary>
public static class Purpose
{
    public const string Programme = "programme";
    public const string Marketing = "marketing";
    public const string Profiling = "profiling";
    public static readonly string[] All = [Programme, Marketing, Profiling];

    /// <summary>The wording shown with each consent; its version is recorded with every choice.</summary>
    public const string WordingVersion = "2026-11-v1";
}

/// <summary>Joining by the shop's QR: a name (or a nickname), optionally an e-mail and a birthday (day and month only).</summary>
public sealed record JoinRequest(
    string JoinCode,
    string DisplayName,
    string? Email,
    int? BirthdayDay,
    int? BirthdayMonth,
    bool AcceptProgramme,
    bool Marketing,
    bool Profiling,
    string? ReferralCode = null,
    string? Device = null);

public sealed record Joined(string MemberId, string MerchantId, string CardToken, string ReferralCode, string? ReferralStatus);

public sealed record ConsentState(string Purpose, bool Granted, string WordingVersion, string At);

public sealed record NextExpiry(string ExpiresAt, long Units);

/// <summary>What the member's page shows.</summary>
public sealed record MemberCard(
    string MemberId,
    string MerchantId,
    string ShopName,
    string? DisplayName,
    string Unit,
    long Balance,
    long Pending,
    long LifetimeEarned,
    long Visits,
    NextExpiry? NextExpiry,
    string? Tier,
    string? NextTier,
    long? ToNextTier,
    Reward? NextReward,
    long ToNextReward,
    IReadOnlyList<Reward> Rewards,
    IReadOnlyList<RewardCode> Codes,
    string ReferralCode,
    IReadOnlyList<ConsentState> Consents,
    IReadOnlyList<LedgerLine> History,
    decimal DiscountPercent,
    bool Erased);

public sealed record LedgerLine(long Seq, string Kind, long Units, string Reason, string At);

/// <summary>Members: joining, the card, consents, export and erasure.</summary>
public sealed class Members(Database db, TimeProvider time, Merchants merchants, Platform.Journal.Journal journal)
{
    public async Task<Result<Joined>> JoinAsync(JoinRequest r, CancellationToken ct = default)
    {
        var c0 = new Checks();
        c0.Require(r.DisplayName, "display_name", 80);
        c0.That(r.AcceptProgramme, "accept_programme", "must be accepted to join (it is what the programme needs to work)");
        if (r.Email is { Length: > 0 } email)
        {
            c0.That(email.Length <= 200 && email.Contains('@') && !email.Contains(' '), "email", "is not an e-mail address");
        }
        c0.That(r.BirthdayDay is null == r.BirthdayMonth is null, "birthday", "give both the day and the month, or neither");
        if (r.BirthdayDay is { } day && r.BirthdayMonth is { } month)
        {
            c0.That(month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(2024, Math.Clamp(month, 1, 12)), "birthday", "is not a day of the year");
        }
        if (c0.Failed)
        {
            return c0.ToError();
        }
        var merchant = await merchants.ByJoinCodeAsync(r.JoinCode?.Trim() ?? "", ct);
        if (merchant is null)
        {
            return Error.NotFound("shop with this join code");
        }
        var programme = await merchants.ProgrammeAsync(merchant.Id, ct);
        var now = time.GetUtcNow();
        var nowText = Sql.Time(now);
        var memberId = MemberCode.NewId("mem");
        var card = "c_" + MemberCode.NewSecret(24);
        var referral = MemberCode.NewId("r")[2..10].ToUpperInvariant();
        var device = MemberCode.Sha256("device|" + merchant.Id + "|" + (r.Device ?? ""));
        string? referralStatus = null;
        await db.InTransactionAsync(async (c, tx) =>
        {
            string? referrerId = null;
            var reasons = new List<string>();
            if (r.ReferralCode is { Length: > 0 } code)
            {
                var referrer = await c.QuerySingleOrDefaultAsync<(string Id, string? Email, string? Name)>(new CommandDefinition(
                    "SELECT id, email, display_name FROM loyalty_members WHERE referral_code = @code AND merchant_id = @Id AND erased_at IS NULL",
                    new { code = code.Trim().ToUpperInvariant(), merchant.Id }, tx, cancellationToken: ct));
                if (referrer.Id is not null)
                {
                    referrerId = referrer.Id;
                    var settings = programme?.Definition.Referral ?? new ReferralSettings();
                    // fraud rules (Smile.io's published ones): self-referral, velocity from one device, a monthly cap per referrer
                    if (r.Email is { Length: > 0 } e && referrer.Email is { Length: > 0 } re && string.Equals(e.Trim(), re.Trim(), StringComparison.OrdinalIgnoreCase))
                    {
                        reasons.Add("self_referral_email");
                    }
                    if (referrer.Name is not null && string.Equals(referrer.Name.Trim(), r.DisplayName.Trim(), StringComparison.OrdinalIgnoreCase))
                    {
                        reasons.Add("same_name_as_referrer");
                    }
                    var fromDevice = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                        "SELECT COUNT(*) FROM loyalty_referrals WHERE merchant_id = @Id AND device_hash = @device AND created_at >= @since",
                        new { merchant.Id, device, since = Sql.Time(now.AddDays(-7)) }, tx, cancellationToken: ct));
                    if (r.Device is { Length: > 0 } && fromDevice >= settings.MaxPerDevicePerWeek)
                    {
                        reasons.Add("device_velocity");
                    }
                    var thisMonth = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                        "SELECT COUNT(*) FROM loyalty_referrals WHERE referrer_id = @referrerId AND created_at >= @since",
                        new { referrerId, since = Sql.Time(now.AddDays(-30)) }, tx, cancellationToken: ct));
                    if (thisMonth >= settings.MonthlyCapPerReferrer)
                    {
                        reasons.Add("monthly_cap");
                    }
                }
            }
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO loyalty_members (id, merchant_id, card_hash, pseudonym, display_name, email, birthday_month, birthday_day, referral_code, referred_by, joined_at) " +
                "VALUES (@memberId, @merchantId, @cardHash, @pseudonym, @name, @email, @month, @day, @referral, @referrerId, @nowText)",
                new
                {
                    memberId, merchantId = merchant.Id, cardHash = MemberCode.Sha256(card), pseudonym = "P-" + MemberCode.Sha256(memberId + merchant.QrKey)[..12],
                    name = r.DisplayName.Trim(), email = string.IsNullOrWhiteSpace(r.Email) ? null : r.Email.Trim(), month = r.BirthdayMonth, day = r.BirthdayDay,
                    referral, referrerId, nowText,
                }, tx, cancellationToken: ct));
            if (referrerId is not null)
            {
                referralStatus = reasons.Count == 0 ? "pending" : "review";
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO loyalty_referrals (id, merchant_id, referrer_id, friend_id, status, reasons, device_hash, created_at) VALUES (@id, @merchantId, @referrerId, @memberId, @status, @reasons, @device, @nowText)",
                    new { id = MemberCode.NewId("ref"), merchantId = merchant.Id, referrerId, memberId, status = referralStatus, reasons = string.Join(',', reasons), device, nowText }, tx, cancellationToken: ct));
            }
            foreach (var (purpose, granted) in new[] { (Purpose.Programme, true), (Purpose.Marketing, r.Marketing), (Purpose.Profiling, r.Profiling) })
            {
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO loyalty_consents (id, member_id, purpose, granted, wording_version, at) VALUES (@id, @memberId, @purpose, @granted, @version, @nowText)",
                    new { id = MemberCode.NewId("con"), memberId, purpose, granted = granted ? 1 : 0, version = Purpose.WordingVersion, nowText }, tx, cancellationToken: ct));
            }
        }, ct);
        return new Joined(memberId, merchant.Id, card, referral, referralStatus);
    }

    /// <summary>The member for a card secret (the member's private link), or null.</summary>
    public async Task<(string MemberId, string MerchantId)?> ByCardAsync(string cardToken, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(cardToken) || cardToken.Length > 100)
        {
            return null;
        }
        await using var c = await db.OpenAsync(ct);
        var row = await c.QuerySingleOrDefaultAsync<(string Id, string MerchantId)>(new CommandDefinition(
            "SELECT id, merchant_id FROM loyalty_members WHERE card_hash = @hash", new { hash = MemberCode.Sha256(cardToken.Trim()) }, cancellationToken: ct));
        return row.Id is null ? null : (row.Id, row.MerchantId);
    }

    public async Task<MemberCard?> CardAsync(string merchantId, string memberId, CancellationToken ct = default)
    {
        var merchant = await merchants.GetAsync(merchantId, ct);
        var programme = await merchants.ProgrammeAsync(merchantId, ct);
        if (merchant is null || programme is null)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var nowText = Sql.Time(now);
        await using var c = await db.OpenAsync(ct);
        var m = await c.QuerySingleOrDefaultAsync<MemberRowView>(new CommandDefinition(
            "SELECT id, display_name AS DisplayName, referral_code AS ReferralCode, erased_at AS ErasedAt, lifetime_earned AS LifetimeEarned, debt, visits, tier_level AS TierLevel " +
            "FROM loyalty_members WHERE id = @memberId AND merchant_id = @merchantId", new { memberId, merchantId }, cancellationToken: ct));
        if (m is null)
        {
            return null;
        }
        var batches = (await c.QueryAsync<BatchRow>(new CommandDefinition(
            $"SELECT {BatchRow.Columns} FROM loyalty_batches WHERE member_id = @memberId AND remaining > 0 AND (expires_at IS NULL OR expires_at > @nowText)",
            new { memberId, nowText }, cancellationToken: ct))).AsList();
        var available = batches.Where(b => string.CompareOrdinal(b.AvailableAt, nowText) <= 0).Sum(b => b.Remaining) - m.Debt;
        var pending = batches.Where(b => string.CompareOrdinal(b.AvailableAt, nowText) > 0).Sum(b => b.Remaining);
        var next = batches.Where(b => b.ExpiresAt is not null).GroupBy(b => b.ExpiresAt![..10]).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new NextExpiry(g.Key, g.Sum(b => b.Remaining))).FirstOrDefault();
        var rewards = await merchants.RewardsAsync(merchantId, true, ct);
        var nextReward = rewards.Where(r => r.Cost > available).OrderBy(r => r.Cost).FirstOrDefault() ?? rewards.OrderBy(r => r.Cost).FirstOrDefault();
        var codes = (await c.QueryAsync<(string Code, string RewardId, string Name, string MemberId, string IssuedAt, string ExpiresAt, string? UsedAt, long Cost)>(new CommandDefinition(
            "SELECT rc.code, rc.reward_id, r.name, rc.member_id, rc.issued_at, rc.expires_at, rc.used_at, r.cost FROM loyalty_reward_codes rc JOIN loyalty_rewards r ON r.id = rc.reward_id " +
            "WHERE rc.member_id = @memberId ORDER BY rc.issued_at DESC LIMIT 20", new { memberId }, cancellationToken: ct)))
            .Select(x => new RewardCode(x.Code, x.RewardId, x.Name, x.MemberId, x.IssuedAt, x.ExpiresAt, x.UsedAt, x.Cost)).ToList();
        var history = (await c.QueryAsync<LedgerLine>(new CommandDefinition(
            "SELECT seq, kind, units, reason, at FROM loyalty_ledger WHERE member_id = @memberId ORDER BY seq DESC LIMIT 20", new { memberId }, cancellationToken: ct))).AsList();
        string? tier = null, nextTier = null;
        long? toNextTier = null;
        if (programme.Definition.Tiers is { } tiers)
        {
            tier = m.TierLevel >= 0 && m.TierLevel < tiers.Levels.Count ? tiers.Levels[(int)m.TierLevel].Name : null;
            if (m.TierLevel + 1 < tiers.Levels.Count)
            {
                var earned = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT) FROM loyalty_batches WHERE member_id = @memberId AND purchase_id IS NOT NULL AND earned_at >= @from",
                    new { memberId, from = Sql.Time(now.AddDays(-tiers.WindowDays)) }, cancellationToken: ct));
                var target = tiers.Levels[(int)m.TierLevel + 1];
                nextTier = target.Name;
                toNextTier = Math.Max(0, target.MinEarned - earned);
            }
        }
        var unit = programme.Definition.UnitName;
        return new MemberCard(m.Id, merchantId, merchant.Name, m.DisplayName, Platform.Web.L.T(unit.Fr, unit.En), available, pending, m.LifetimeEarned, m.Visits, next,
            tier, nextTier, toNextTier, nextReward, nextReward is null ? 0 : Math.Max(0, nextReward.Cost - available), rewards, codes, m.ReferralCode,
            await ConsentsAsync(memberId, ct), history, programme.Definition.DiscountPercent, m.ErasedAt is not null);
    }

    private sealed class MemberRowView
    {
        public string Id { get; set; } = "";
        public string? DisplayName { get; set; }
        public string ReferralCode { get; set; } = "";
        public string? ErasedAt { get; set; }
        public long LifetimeEarned { get; set; }
        public long Debt { get; set; }
        public long Visits { get; set; }
        public long TierLevel { get; set; }
    }

    private sealed class ConsentRow
    {
        public string Purpose { get; set; } = "";
        public long Granted { get; set; }
        public string WordingVersion { get; set; } = "";
        public string At { get; set; } = "";
    }

    /// <summary>The latest choice for each purpose.</summary>
    public async Task<IReadOnlyList<ConsentState>> ConsentsAsync(string memberId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<ConsentRow>(new CommandDefinition(
            "SELECT purpose, granted, wording_version AS WordingVersion, at FROM loyalty_consents WHERE member_id = @memberId ORDER BY at, id", new { memberId }, cancellationToken: ct));
        return rows.GroupBy(r => r.Purpose).Select(g => g.Last()).Select(r => new ConsentState(r.Purpose, r.Granted == 1, r.WordingVersion, r.At))
            .OrderBy(s => Array.IndexOf(Purpose.All, s.Purpose)).ToList();
    }

    /// <summary>
    /// Records a consent choice. Withdrawing marketing or profiling keeps the programme (GDPR art. 7(4): no conditionality);
    /// withdrawing the programme consent means leaving — use erasure for that.
    /// </summary>
    public async Task<Result<ConsentState>> SetConsentAsync(string memberId, string purpose, bool granted, CancellationToken ct = default)
    {
        if (purpose is not (Purpose.Marketing or Purpose.Profiling))
        {
            return Error.Validation("purpose", "must be marketing or profiling (to leave the programme, erase your data)");
        }
        var state = new ConsentState(purpose, granted, Purpose.WordingVersion, Sql.Time(time.GetUtcNow()));
        await using var c = await db.OpenAsync(ct);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO loyalty_consents (id, member_id, purpose, granted, wording_version, at) VALUES (@id, @memberId, @Purpose, @g, @WordingVersion, @At)",
            new { id = MemberCode.NewId("con"), memberId, state.Purpose, g = granted ? 1 : 0, state.WordingVersion, state.At }, cancellationToken: ct));
        return state;
    }

    public async Task<bool> HasConsentAsync(string memberId, string purpose, CancellationToken ct = default) =>
        (await ConsentsAsync(memberId, ct)).Any(s => s.Purpose == purpose && s.Granted);

    /// <summary>Everything held about a member (GDPR art. 15 and 20), as one JSON document.</summary>
    public async Task<JsonDocument> ExportJsonAsync(string merchantId, string memberId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var member = (await c.QueryAsync(new CommandDefinition(
            "SELECT id, pseudonym, display_name, email, birthday_day, birthday_month, referral_code, referred_by, joined_at, erased_at, lifetime_earned, debt, visits, last_visit_at, tier_level " +
            "FROM loyalty_members WHERE id = @memberId AND merchant_id = @merchantId", new { memberId, merchantId }, cancellationToken: ct))).FirstOrDefault();
        var ledger = await c.QueryAsync(new CommandDefinition("SELECT seq, kind, units, reason, at, purchase_id, reward_id FROM loyalty_ledger WHERE member_id = @memberId ORDER BY seq", new { memberId }, cancellationToken: ct));
        var purchases = await c.QueryAsync(new CommandDefinition("SELECT id, amount_cents, refunded_cents, items, lines, occurred_at, units, source FROM loyalty_purchases WHERE member_id = @memberId ORDER BY occurred_at", new { memberId }, cancellationToken: ct));
        var consents = await c.QueryAsync(new CommandDefinition("SELECT purpose, granted, wording_version, at FROM loyalty_consents WHERE member_id = @memberId ORDER BY at", new { memberId }, cancellationToken: ct));
        var codes = await c.QueryAsync(new CommandDefinition("SELECT code, reward_id, issued_at, expires_at, used_at FROM loyalty_reward_codes WHERE member_id = @memberId ORDER BY issued_at", new { memberId }, cancellationToken: ct));
        var doc = new { exported_at = Sql.Time(time.GetUtcNow()), member, consents, ledger, purchases, reward_codes = codes };
        return JsonSerializer.SerializeToDocument(doc, new JsonSerializerOptions(JsonSerializerDefaults.Web));
    }

    /// <summary>The member's ledger and purchases as CSV (one line per ledger entry).</summary>
    public async Task<string> ExportCsvAsync(string memberId, CancellationToken ct = default)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(long Seq, string Kind, long Units, string Reason, string At, string? PurchaseId)>(new CommandDefinition(
            "SELECT seq, kind, units, reason, at, purchase_id FROM loyalty_ledger WHERE member_id = @memberId ORDER BY seq", new { memberId }, cancellationToken: ct));
        var sb = new StringBuilder("seq,kind,units,reason,at,purchase_id\n");
        foreach (var r in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{r.Seq},{r.Kind},{r.Units},{Csv(r.Reason)},{r.At},{r.PurchaseId}\n");
        }
        return sb.ToString();
    }

    private static string Csv(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;

    /// <summary>
    /// Erasure (GDPR art. 17): name, e-mail, birthday and consents' link to a person are removed and the card stops working;
    /// the ledger and purchases stay (accounting, art. 17(3)(b)) under the member's pseudonym.
    /// </summary>
    public async Task<Result<string>> EraseAsync(string merchantId, string memberId, CancellationToken ct = default)
    {
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var pseudonym = await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                $"SELECT pseudonym FROM loyalty_members WHERE id = @memberId AND merchant_id = @merchantId{db.ForUpdate()}", new { memberId, merchantId }, tx, cancellationToken: ct));
            if (pseudonym is null)
            {
                return Result<string>.Fail(Error.NotFound("member " + memberId));
            }
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE loyalty_members SET display_name = NULL, email = NULL, birthday_day = NULL, birthday_month = NULL, card_hash = @gone, erased_at = @now WHERE id = @memberId",
                new { gone = "erased:" + MemberCode.NewSecret(16), now = Sql.Time(time.GetUtcNow()), memberId }, tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM loyalty_outbox WHERE member_id = @memberId AND status = 'pending'", new { memberId }, tx, cancellationToken: ct));
            await journal.AppendAsync(c, tx, $"loyalty/merchant/{merchantId}", "member.erased", JsonSerializer.Serialize(new { pseudonym }), ct);
            return Result<string>.Ok(pseudonym);
        }, ct);
    }
}
