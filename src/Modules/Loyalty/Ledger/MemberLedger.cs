using System.Data.Common;
using System.Text.Json;
using Dapper;
using Socle.Modules.Loyalty.Members;
using Socle.Modules.Loyalty.Programs;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Loyalty.Ledger;

/// <summary>A reward taken from the catalogue: its single-use code (shown as a QR) and until when it can be used.</summary>
public sealed record RewardCode(string Code, string RewardId, string RewardName, string MemberId, string IssuedAt, string ExpiresAt, string? UsedAt, long Cost);

/// <summary>What a debit did: the entry, the units, and the balance left.</summary>
public sealed record LedgerChange(string EntryId, long Units, long Balance, bool Replayed);

/// <summary>
/// The member-by-member writes of the ledger: redeem, adjust, refund reversal, expiry, surprises and referral bonuses.
/// Each runs in one transaction holding the member's row lock, so it is serialised with every other write for that member
/// (including the purchase group commit); each carries an idempotency key, so a retry writes nothing twice; and a debit
/// that the available balance cannot cover is refused before anything is written.
/// </summary>
public sealed class MemberLedger(Database db, TimeProvider time, Platform.Journal.Journal journal)
{
    private async Task<MemberRow?> LockAsync(DbConnection c, DbTransaction tx, string merchantId, string memberId, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<MemberRow>(new CommandDefinition(
            $"SELECT {MemberRow.Columns} FROM loyalty_members WHERE id = @memberId AND merchant_id = @merchantId{db.ForUpdate()}",
            new { memberId, merchantId }, tx, cancellationToken: ct));

    private static async Task<List<BatchRow>> OpenBatchesAsync(DbConnection c, DbTransaction tx, string memberId, CancellationToken ct) =>
        (await c.QueryAsync<BatchRow>(new CommandDefinition(
            $"SELECT {BatchRow.Columns} FROM loyalty_batches WHERE member_id = @memberId AND remaining > 0 " +
            "ORDER BY CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END, expires_at, earned_at, entry_id",
            new { memberId }, tx, cancellationToken: ct))).AsList();

    private static async Task<string?> ExistingEntryAsync(DbConnection c, DbTransaction tx, string merchantId, string key, CancellationToken ct) =>
        await c.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT id FROM loyalty_ledger WHERE merchant_id = @merchantId AND idempotency_key = @key", new { merchantId, key }, tx, cancellationToken: ct));

    private static async Task AppendEntryAsync(DbConnection c, DbTransaction tx, MemberRow m, string entryId, string kind, long units, string key, string? purchaseId, string? rewardId, string reason, string at, CancellationToken ct)
    {
        m.EntrySeq++;
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO loyalty_ledger (id, merchant_id, member_id, seq, kind, units, idempotency_key, purchase_id, reward_id, reason, at) " +
            "VALUES (@entryId, @MerchantId, @Id, @EntrySeq, @kind, @units, @key, @purchaseId, @rewardId, @reason, @at)",
            new { entryId, m.MerchantId, m.Id, m.EntrySeq, kind, units, key, purchaseId, rewardId, reason, at }, tx, cancellationToken: ct));
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE loyalty_members SET entry_seq = @EntrySeq, debt = @Debt, lifetime_earned = @LifetimeEarned, open_units = @OpenUnits WHERE id = @Id",
            new { m.EntrySeq, m.Debt, m.LifetimeEarned, m.OpenUnits, m.Id }, tx, cancellationToken: ct));
    }

    /// <summary>Writes expiry entries for the member's batches whose date has passed; returns the open batches left.</summary>
    private async Task<List<BatchRow>> SettleAsync(DbConnection c, DbTransaction tx, MemberRow m, DateTimeOffset now, CancellationToken ct)
    {
        var batches = await OpenBatchesAsync(c, tx, m.Id, ct);
        var nowText = Sql.Time(now);
        foreach (var b in batches.Where(b => b.ExpiresAt is { } e && string.CompareOrdinal(e, nowText) <= 0).ToList())
        {
            m.OpenUnits -= b.Remaining;
            await AppendEntryAsync(c, tx, m, MemberCode.NewId("led"), EntryKind.Expire, -b.Remaining, $"expire:{b.EntryId}", null, null, $"expired {b.ExpiresAt}", nowText, ct);
            await c.ExecuteAsync(new CommandDefinition("UPDATE loyalty_batches SET remaining = 0 WHERE entry_id = @EntryId", new { b.EntryId }, tx, cancellationToken: ct));
            batches.Remove(b);
        }
        return batches;
    }

    private static long Available(List<BatchRow> open, MemberRow m, string nowText) =>
        open.Where(b => string.CompareOrdinal(b.AvailableAt, nowText) <= 0).Sum(b => b.Remaining) - m.Debt;

    /// <summary>Takes <paramref name="units"/> from the available batches, earliest expiry first.</summary>
    private static async Task ConsumeAsync(DbConnection c, DbTransaction tx, MemberRow m, List<BatchRow> open, long units, string nowText, CancellationToken ct)
    {
        m.OpenUnits -= units;
        foreach (var b in open.Where(b => string.CompareOrdinal(b.AvailableAt, nowText) <= 0))
        {
            if (units == 0)
            {
                break;
            }
            var take = Math.Min(units, b.Remaining);
            units -= take;
            await c.ExecuteAsync(new CommandDefinition("UPDATE loyalty_batches SET remaining = remaining - @take WHERE entry_id = @EntryId",
                new { take, b.EntryId }, tx, cancellationToken: ct));
        }
        if (units != 0)
        {
            throw new InvalidOperationException("consumed more than available: checked before");
        }
    }

    /// <summary>
    /// Redeems a reward of the catalogue: debits its cost (first-in first-out over the batches) and issues a single-use
    /// reward code valid for the reward's number of days. Refused, with nothing written, when the available balance is short.
    /// </summary>
    public async Task<Result<RewardCode>> RedeemAsync(string merchantId, string memberId, string rewardId, string idempotencyKey, CancellationToken ct = default)
    {
        var checks = new Checks().Require(rewardId, "reward_id", 60).Require(idempotencyKey, "idempotency_key", 200);
        if (checks.Failed)
        {
            return checks.ToError();
        }
        var key = "redeem:" + idempotencyKey;
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var now = time.GetUtcNow();
            var nowText = Sql.Time(now);
            var m = await LockAsync(c, tx, merchantId, memberId, ct);
            if (m is null)
            {
                return Result<RewardCode>.Fail(Error.NotFound("member " + memberId));
            }
            if (await ExistingEntryAsync(c, tx, merchantId, key, ct) is { } entry)
            {
                return await CodeOfEntryAsync(c, tx, entry, ct) is { } previous ? previous : Result<RewardCode>.Fail(KeyReused(idempotencyKey));
            }
            if (m.ErasedAt is not null)
            {
                return Result<RewardCode>.Fail(Error.Conflict("member_erased", "This member's data was erased."));
            }
            var reward = (await c.QueryAsync<(string Id, string Name, long Cost, long ValidDays)>(new CommandDefinition(
                "SELECT id, name, cost, valid_days FROM loyalty_rewards WHERE id = @rewardId AND merchant_id = @merchantId AND active = 1",
                new { rewardId, merchantId }, tx, cancellationToken: ct))).FirstOrDefault();
            if (reward.Id is null)
            {
                return Result<RewardCode>.Fail(Error.NotFound("reward " + rewardId));
            }
            var open = await SettleAsync(c, tx, m, now, ct);
            var available = Available(open, m, nowText);
            if (available < reward.Cost)
            {
                return Result<RewardCode>.Fail(Error.Conflict("insufficient_balance",
                    $"This reward costs {reward.Cost} and the available balance is {available}; nothing was debited."));
            }
            await ConsumeAsync(c, tx, m, open, reward.Cost, nowText, ct);
            var entryId = MemberCode.NewId("led");
            await AppendEntryAsync(c, tx, m, entryId, EntryKind.Redeem, -reward.Cost, key, null, reward.Id, reward.Name, nowText, ct);
            var code = new RewardCode("R-" + MemberCode.NewId("x")[2..].ToUpperInvariant(), reward.Id, reward.Name, m.Id, nowText,
                Sql.Time(now.AddDays(reward.ValidDays)), null, reward.Cost);
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO loyalty_reward_codes (code, merchant_id, member_id, reward_id, entry_id, issued_at, expires_at) VALUES (@Code, @merchantId, @MemberId, @RewardId, @entryId, @IssuedAt, @ExpiresAt)",
                new { code.Code, merchantId, code.MemberId, code.RewardId, entryId, code.IssuedAt, code.ExpiresAt }, tx, cancellationToken: ct));
            return Result<RewardCode>.Ok(code);
        }, ct);
    }

    private static async Task<RewardCode?> CodeOfEntryAsync(DbConnection c, DbTransaction tx, string entryId, CancellationToken ct)
    {
        var row = (await c.QueryAsync<(string Code, string RewardId, string Name, string MemberId, string IssuedAt, string ExpiresAt, string? UsedAt, long Cost)>(new CommandDefinition(
            "SELECT rc.code, rc.reward_id, r.name, rc.member_id, rc.issued_at, rc.expires_at, rc.used_at, r.cost FROM loyalty_reward_codes rc " +
            "JOIN loyalty_rewards r ON r.id = rc.reward_id WHERE rc.entry_id = @entryId", new { entryId }, tx, cancellationToken: ct))).FirstOrDefault();
        return row.Code is null ? null : new RewardCode(row.Code, row.RewardId, row.Name, row.MemberId, row.IssuedAt, row.ExpiresAt, row.UsedAt, row.Cost);
    }

    /// <summary>Staff validate a reward code at the till: it works once, before it expires.</summary>
    public async Task<Result<RewardCode>> UseRewardCodeAsync(string merchantId, string code, string staffId, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length > 40)
        {
            return Error.Validation("code", "is required (R-…)");
        }
        code = code.Trim().ToUpperInvariant();
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var nowText = Sql.Time(time.GetUtcNow());
            var updated = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE loyalty_reward_codes SET used_at = @nowText, used_by = @staffId WHERE code = @code AND merchant_id = @merchantId AND used_at IS NULL AND expires_at > @nowText",
                new { nowText, staffId, code, merchantId }, tx, cancellationToken: ct));
            var row = (await c.QueryAsync<(string Code, string RewardId, string Name, string MemberId, string IssuedAt, string ExpiresAt, string? UsedAt, long Cost)>(new CommandDefinition(
                "SELECT rc.code, rc.reward_id, r.name, rc.member_id, rc.issued_at, rc.expires_at, rc.used_at, r.cost FROM loyalty_reward_codes rc " +
                "JOIN loyalty_rewards r ON r.id = rc.reward_id WHERE rc.code = @code AND rc.merchant_id = @merchantId", new { code, merchantId }, tx, cancellationToken: ct))).FirstOrDefault();
            if (row.Code is null)
            {
                return Result<RewardCode>.Fail(Error.NotFound("reward code " + code));
            }
            var rc = new RewardCode(row.Code, row.RewardId, row.Name, row.MemberId, row.IssuedAt, row.ExpiresAt, row.UsedAt, row.Cost);
            if (updated == 1)
            {
                return Result<RewardCode>.Ok(rc);
            }
            return Result<RewardCode>.Fail(rc.UsedAt is not null
                ? Error.Conflict("reward_code_used", $"This reward code was already used on {rc.UsedAt}.")
                : Error.Conflict("reward_code_expired", $"This reward code expired on {rc.ExpiresAt}."));
        }, ct);
    }

    /// <summary>
    /// Credits (positive) or debits (negative) units by hand or for a surprise, with a reason. A debit is refused when the
    /// available balance cannot cover it. Returns null when the key was already used (nothing written again).
    /// </summary>
    public async Task<Result<LedgerChange>> AdjustAsync(string merchantId, string memberId, long units, string reason, string idempotencyKey, string? by = null, CancellationToken ct = default)
    {
        var checks = new Checks().Require(reason, "reason", 200).Require(idempotencyKey, "idempotency_key", 200)
            .That(units != 0 && Math.Abs(units) <= 100_000_000, "units", "must be non-zero and at most 100000000 either way");
        if (checks.Failed)
        {
            return checks.ToError();
        }
        var key = "adjust:" + idempotencyKey;
        var result = await db.InTransactionAsync(async (c, tx) =>
        {
            var now = time.GetUtcNow();
            var nowText = Sql.Time(now);
            var m = await LockAsync(c, tx, merchantId, memberId, ct);
            if (m is null)
            {
                return Result<LedgerChange>.Fail(Error.NotFound("member " + memberId));
            }
            if (await ExistingEntryAsync(c, tx, merchantId, key, ct) is { } existing)
            {
                var open0 = await OpenBatchesAsync(c, tx, m.Id, ct);
                return Result<LedgerChange>.Ok(new LedgerChange(existing, units, Available(open0, m, nowText), true));
            }
            var programme = await Merchants.ProgrammeAsync(c, tx, merchantId, ct);
            var open = await SettleAsync(c, tx, m, now, ct);
            var entryId = MemberCode.NewId("led");
            if (units < 0)
            {
                var available = Available(open, m, nowText);
                if (available < -units)
                {
                    return Result<LedgerChange>.Fail(Error.Conflict("insufficient_balance", $"The available balance is {available}; a debit of {-units} was refused."));
                }
                await ConsumeAsync(c, tx, m, open, -units, nowText, ct);
                await AppendEntryAsync(c, tx, m, entryId, EntryKind.Adjust, units, key, null, null, reason.Trim(), nowText, ct);
                return Result<LedgerChange>.Ok(new LedgerChange(entryId, units, available + units, false));
            }
            var paid = Math.Min(m.Debt, units);
            m.Debt -= paid;
            m.OpenUnits += units - paid;
            await AppendEntryAsync(c, tx, m, entryId, EntryKind.Adjust, units, key, null, null, reason.Trim(), nowText, ct);
            var expiryDays = programme?.Definition.ExpiryDays ?? 0;
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO loyalty_batches (entry_id, merchant_id, member_id, purchase_id, earned_at, available_at, expires_at, units, remaining) VALUES (@entryId, @merchantId, @memberId, NULL, @nowText, @nowText, @expires, @units, @remaining)",
                new { entryId, merchantId, memberId, nowText, expires = expiryDays > 0 ? Sql.Time(now.AddDays(expiryDays)) : null, units, remaining = units - paid }, tx, cancellationToken: ct));
            if (by is not null)
            {
                await journal.AppendAsync(c, tx, $"loyalty/merchant/{merchantId}", "ledger.adjusted",
                    JsonSerializer.Serialize(new { member = memberId, units, entry = entryId, by }), ct);
            }
            open.Add(new BatchRow(entryId, null, nowText, nowText, null, units, units - paid));
            return Result<LedgerChange>.Ok(new LedgerChange(entryId, units, Available(open, m, nowText), false));
        }, ct);
        return result;
    }

    /// <summary>
    /// A refund cancels the points the refunded part earned, in proportion (cumulative, so partial refunds add up exactly):
    /// first from the purchase's own batch — pending points are simply cancelled —, then from other available batches; what
    /// was already spent becomes a debt that the next earnings pay back.
    /// </summary>
    public async Task<Result<LedgerChange>> RefundAsync(string merchantId, string purchaseId, long refund_cents, string idempotencyKey, CancellationToken ct = default)
    {
        var checks = new Checks().Require(idempotencyKey, "idempotency_key", 200).That(refund_cents > 0, "amount_cents", "must be positive");
        if (checks.Failed)
        {
            return checks.ToError();
        }
        var key = "refund:" + idempotencyKey;
        return await db.InTransactionAsync(async (c, tx) =>
        {
            var now = time.GetUtcNow();
            var nowText = Sql.Time(now);
            var p = (await c.QueryAsync<(string Id, string? MemberId, long Amount, long Refunded, long Units)>(new CommandDefinition(
                "SELECT id, member_id, amount_cents, refunded_cents, units FROM loyalty_purchases WHERE id = @purchaseId AND merchant_id = @merchantId",
                new { purchaseId, merchantId }, tx, cancellationToken: ct))).FirstOrDefault();
            if (p.Id is null)
            {
                return Result<LedgerChange>.Fail(Error.NotFound("purchase " + purchaseId));
            }
            if (p.MemberId is null)
            {
                return Result<LedgerChange>.Fail(Error.Conflict("not_a_member_purchase", "This purchase earned nothing to reverse."));
            }
            var m = (await LockAsync(c, tx, merchantId, p.MemberId, ct))!;
            if (await ExistingEntryAsync(c, tx, merchantId, key, ct) is { } existing)
            {
                return Result<LedgerChange>.Ok(new LedgerChange(existing, 0, Available(await OpenBatchesAsync(c, tx, m.Id, ct), m, nowText), true));
            }
            // re-read under the member lock: a concurrent refund of the same purchase has committed by now
            var refunded = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT refunded_cents FROM loyalty_purchases WHERE id = @purchaseId", new { purchaseId }, tx, cancellationToken: ct));
            if (refunded + refund_cents > p.Amount)
            {
                return Result<LedgerChange>.Fail(Error.Validation("amount_cents", $"refunds would exceed the purchase ({refunded} of {p.Amount} cents already refunded)"));
            }
            var reverse = p.Units * (refunded + refund_cents) / p.Amount - p.Units * refunded / p.Amount;
            await c.ExecuteAsync(new CommandDefinition("UPDATE loyalty_purchases SET refunded_cents = refunded_cents + @refund_cents WHERE id = @purchaseId",
                new { refund_cents, purchaseId }, tx, cancellationToken: ct));
            var open = await SettleAsync(c, tx, m, now, ct);
            var entryId = MemberCode.NewId("led");
            if (reverse > 0)
            {
                var left = reverse;
                var own = open.Where(b => b.PurchaseId == purchaseId).Concat(open.Where(b => b.PurchaseId != purchaseId && string.CompareOrdinal(b.AvailableAt, nowText) <= 0));
                foreach (var b in own)
                {
                    var take = Math.Min(left, b.Remaining);
                    if (take == 0)
                    {
                        continue;
                    }
                    left -= take;
                    m.OpenUnits -= take;
                    await c.ExecuteAsync(new CommandDefinition("UPDATE loyalty_batches SET remaining = remaining - @take WHERE entry_id = @EntryId", new { take, b.EntryId }, tx, cancellationToken: ct));
                    if (left == 0)
                    {
                        break;
                    }
                }
                m.Debt += left;
                await AppendEntryAsync(c, tx, m, entryId, EntryKind.Reversal, -reverse, key, purchaseId, null, $"refund of {refund_cents} cents", nowText, ct);
            }
            var balance = Available(await OpenBatchesAsync(c, tx, m.Id, ct), m, nowText);
            return Result<LedgerChange>.Ok(new LedgerChange(entryId, -reverse, balance, false));
        }, ct);
    }

    /// <summary>Writes the expiry entries of every member whose batches have passed their date. Returns the members touched.</summary>
    public async Task<int> ExpireDueAsync(string? merchantId = null, CancellationToken ct = default)
    {
        var nowText = Sql.Time(time.GetUtcNow());
        List<(string MerchantId, string MemberId)> due;
        await using (var c = await db.OpenAsync(ct))
        {
            due = (await c.QueryAsync<(string, string)>(new CommandDefinition(
                "SELECT DISTINCT merchant_id, member_id FROM loyalty_batches WHERE remaining > 0 AND expires_at <= @nowText" + (merchantId is null ? "" : " AND merchant_id = @merchantId"),
                new { nowText, merchantId }, cancellationToken: ct))).AsList();
        }
        foreach (var (merchant, member) in due)
        {
            await db.InTransactionAsync(async (c, tx) =>
            {
                if (await LockAsync(c, tx, merchant, member, ct) is { } m)
                {
                    await SettleAsync(c, tx, m, time.GetUtcNow(), ct);
                }
            }, ct);
        }
        return due.Count;
    }

    /// <summary>After a purchase commits: the referral bonus at the friend's first purchase, the Nth-visit surprise.</summary>
    internal async Task AfterPurchaseAsync(FollowUp f, CancellationToken ct)
    {
        var programme = await Merchants_ProgrammeAsync(f.MerchantId, ct);
        if (programme is null)
        {
            return;
        }
        var d = programme.Definition;
        if (d.Surprises.NthVisit > 0 && f.Visits == d.Surprises.NthVisit && d.Surprises.NthVisitPoints > 0)
        {
            await AdjustAsync(f.MerchantId, f.MemberId, d.Surprises.NthVisitPoints, $"surprise: visit number {f.Visits}", $"nth-visit:{f.MemberId}:{f.Visits}", ct: ct);
        }
        if (f.Visits == 1 && f.ReferredBy is not null)
        {
            await using var c = await db.OpenAsync(ct);
            var referral = await c.QuerySingleOrDefaultAsync<(string Id, string Status, string ReferrerId)>(new CommandDefinition(
                "SELECT id, status, referrer_id FROM loyalty_referrals WHERE friend_id = @MemberId", new { f.MemberId }, cancellationToken: ct));
            if (referral.Id is not null && referral.Status == "pending")
            {
                await RewardReferralAsync(f.MerchantId, referral.Id, ct);
            }
        }
    }

    /// <summary>Rewards both sides of a referral (once: the keys are idempotent) and marks it rewarded.</summary>
    public async Task<Result<bool>> RewardReferralAsync(string merchantId, string referralId, CancellationToken ct = default)
    {
        var programme = await Merchants_ProgrammeAsync(merchantId, ct);
        await using var c = await db.OpenAsync(ct);
        var r = await c.QuerySingleOrDefaultAsync<(string Id, string ReferrerId, string FriendId, string Status)>(new CommandDefinition(
            "SELECT id, referrer_id, friend_id, status FROM loyalty_referrals WHERE id = @referralId AND merchant_id = @merchantId", new { referralId, merchantId }, cancellationToken: ct));
        if (r.Id is null)
        {
            return Error.NotFound("referral " + referralId);
        }
        if (r.Status is "rejected" or "rewarded")
        {
            return Error.Conflict("referral_closed", $"This referral is already {r.Status}.");
        }
        var s = programme?.Definition.Referral ?? new ReferralSettings();
        if (s.ReferrerPoints > 0)
        {
            await AdjustAsync(merchantId, r.ReferrerId, s.ReferrerPoints, "referral: your friend made a first purchase", $"referral:{r.Id}:referrer", ct: ct);
        }
        if (s.FriendPoints > 0)
        {
            await AdjustAsync(merchantId, r.FriendId, s.FriendPoints, "referral: welcome bonus", $"referral:{r.Id}:friend", ct: ct);
        }
        await c.ExecuteAsync(new CommandDefinition("UPDATE loyalty_referrals SET status = 'rewarded', decided_at = @now WHERE id = @referralId",
            new { now = Sql.Time(time.GetUtcNow()), referralId }, cancellationToken: ct));
        return true;
    }

    private async Task<Programme?> Merchants_ProgrammeAsync(string merchantId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        return await Merchants.ProgrammeAsync(c, null, merchantId, ct);
    }

    private static Error KeyReused(string key) => Error.Conflict("idempotency_key_reused", $"The idempotency key '{key}' was already used for another operation.");
}
