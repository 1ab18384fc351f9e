using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Socle.Modules.Loyalty.Members;
using Socle.Modules.Loyalty.Programs;
using Socle.Modules.Loyalty.Rules;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Loyalty.Ledger;

/// <summary>A member whose purchase calls for more once it is committed: a referral to reward, the Nth visit.</summary>
internal readonly record struct FollowUp(string MerchantId, string MemberId, long Visits, string? ReferredBy);

/// <summary>
/// Records purchases through the earning rules into the ledger, many at once in one transaction (group commit).
/// <list type="number">
/// <item>Reads, a handful of queries for the whole batch: merchants and programmes, the members — locked
/// (<c>FOR UPDATE</c> on PostgreSQL, the write lock on SQLite) so each member's writes are serialised with every other
/// writer —, then, under those locks, the idempotency keys already used, balances, tier windows, boost usage and code nonces.</item>
/// <item>Decisions, in memory and in arrival order, so two purchases of one member in one batch see each other.</item>
/// <item>Writes, sent in one round trip.</item>
/// </list>
/// A command that fails an expected check (unknown member, replayed code, key reused for another request) gets its error
/// and writes nothing; the others commit.
/// </summary>
internal sealed class PurchaseProcessor(Database db, TimeProvider time)
{
    private static readonly JsonSerializerOptions LineJson = new(JsonSerializerDefaults.Web);

    private sealed class PreviousPurchase
    {
        public string Id { get; set; } = "";
        public string? MemberId { get; set; }
        public string IdempotencyKey { get; set; } = "";
        public string RequestHash { get; set; } = "";
        public long Units { get; set; }
    }

    private sealed class BalanceRow
    {
        public string MemberId { get; set; } = "";
        public long Available { get; set; }
        public long Pending { get; set; }
    }

    private sealed class UsageRow
    {
        public string BoostId { get; set; } = "";
        public string MemberId { get; set; } = "";
        public string Period { get; set; } = "";
        public long Units { get; set; }
    }

    public static string RequestHash(PurchaseCommand cmd, string? memberId) =>
        MemberCode.Sha256(string.Create(CultureInfo.InvariantCulture,
            $"{memberId}|{cmd.Amount_cents}|{cmd.Items}|{cmd.StoreId}|{JsonSerializer.Serialize(cmd.Lines ?? [], LineJson)}"));

    /// <summary>
    /// Records a batch of purchases in one transaction. With <paramref name="lookUpPrevious"/> false the batch first runs
    /// without reading earlier purchases by idempotency key: a key already recorded then fails the purchases' unique index
    /// (a <see cref="DbException"/> the caller answers by running the batch again with the lookup), and if any purchase of
    /// the batch is refused, the batch is decided again with the lookup in the same transaction, before anything is
    /// written, since a refusal (too soon, code already used) must not hide the replay of a purchase already recorded.
    /// The common case, a batch of new purchases, so saves one query per batch.
    /// </summary>
    public async Task<(Result<PurchaseOutcome>[] Results, List<FollowUp> FollowUps)> ProcessAsync(IReadOnlyList<PurchaseCommand> commands, CancellationToken ct, bool lookUpPrevious = true)
    {
        var results = new Result<PurchaseOutcome>[commands.Count];
        var followUps = new List<FollowUp>();
        await db.InTransactionAsync(async (c, tx) =>
        {
            followUps.Clear();
            if (!await ProcessAsync(c, tx, commands, results, followUps, lookUpPrevious, ct))
            {
                followUps.Clear();
                await ProcessAsync(c, tx, commands, results, followUps, true, ct);
            }
        }, ct);
        return (results, followUps);
    }

    /// <summary>Decides and writes the batch; false (with nothing written) when a refusal needs the lookup of earlier purchases.</summary>
    private async Task<bool> ProcessAsync(DbConnection c, DbTransaction tx, IReadOnlyList<PurchaseCommand> commands, Result<PurchaseOutcome>[] results, List<FollowUp> followUps, bool lookUpPrevious, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nowText = Sql.Time(now);
        var n = commands.Count;

        // 1. merchants and their current programme
        var merchantIds = commands.Select(x => x.MerchantId).Distinct(StringComparer.Ordinal).ToList();
        var merchants = (await c.QueryAsync<(string Id, string QrKey)>(new CommandDefinition(
            $"SELECT id, qr_key FROM loyalty_merchants WHERE {db.In("id", "@merchantIds")}", new { merchantIds }, tx, cancellationToken: ct)))
            .ToDictionary(m => m.Id, m => new Merchant(m.Id, "", "", m.QrKey, null, null, "").QrKeyBytes, StringComparer.Ordinal);
        var programmes = new Dictionary<string, Programme>(StringComparer.Ordinal);
        foreach (var id in merchants.Keys)
        {
            if (await Merchants.ProgrammeAsync(c, tx, id, ct) is { } p)
            {
                programmes[id] = p;
            }
        }

        var storeIds = commands.Where(x => x.StoreId is not null).Select(x => x.StoreId!).Distinct(StringComparer.Ordinal).ToList();
        var stores = storeIds.Count == 0 ? new Dictionary<string, string>(StringComparer.Ordinal) : (await c.QueryAsync<(string Id, string MerchantId)>(new CommandDefinition(
            $"SELECT id, merchant_id FROM loyalty_stores WHERE {db.In("id", "@storeIds")}", new { storeIds }, tx, cancellationToken: ct)))
            .ToDictionary(s => s.Id, s => s.MerchantId, StringComparer.Ordinal);

        // 2. whose purchase is it: the member id, or the member code's signed member id
        var memberIds = new string?[n];
        var codes = new MemberCode.Parsed?[n];
        var verdicts = new MemberCode.Verdict[n];
        for (var i = 0; i < n; i++)
        {
            var cmd = commands[i];
            memberIds[i] = cmd.MemberId;
            if (cmd.MemberCode is { } code && merchants.TryGetValue(cmd.MerchantId, out var key))
            {
                verdicts[i] = MemberCode.Verify(key, cmd.MerchantId, code, now, out codes[i]);
                memberIds[i] ??= codes[i]?.MemberId;
            }
        }

        // typed codes (card number + 6 digits) name the member by card number
        var typed = Enumerable.Range(0, n).Where(i => commands[i].MemberCode is { } tc && MemberCode.TryParseTyped(tc, out _, out _)).ToList();
        if (typed.Count > 0)
        {
            var numbers = typed.Select(i => { MemberCode.TryParseTyped(commands[i].MemberCode!, out var number, out _); return number; }).Distinct().ToList();
            var byNumber = (await c.QueryAsync<(string Id, string MerchantId, string Number)>(new CommandDefinition(
                $"SELECT id, merchant_id, referral_code FROM loyalty_members WHERE {db.In("referral_code", "@numbers")}", new { numbers }, tx, cancellationToken: ct)))
                .ToDictionary(r => r.Number, StringComparer.Ordinal);
            foreach (var i in typed)
            {
                MemberCode.TryParseTyped(commands[i].MemberCode!, out var number, out var digits);
                codes[i] = null;
                verdicts[i] = MemberCode.Verdict.BadSignature;
                if (byNumber.TryGetValue(number, out var who) && who.MerchantId == commands[i].MerchantId && merchants.TryGetValue(who.MerchantId, out var key))
                {
                    verdicts[i] = MemberCode.VerifyTyped(key, who.Id, digits, now, out codes[i]);
                    memberIds[i] = commands[i].MemberId ?? who.Id;
                }
            }
        }

        // 3. lock the members, in id order, then read under the locks
        var ids = memberIds.Where(m => m is not null).Distinct(StringComparer.Ordinal).ToList();
        var members = ids.Count == 0 ? new Dictionary<string, MemberRow>() : (await c.QueryAsync<MemberRow>(new CommandDefinition(
            $"SELECT {MemberRow.Columns} FROM loyalty_members WHERE {db.In("id", "@ids")} ORDER BY id{db.ForUpdate()}", new { ids }, tx, cancellationToken: ct)))
            .ToDictionary(m => m.Id, StringComparer.Ordinal);
        var previous = new Dictionary<(string, string), PreviousPurchase>();
        if (lookUpPrevious && db.IsPostgres)
        {
            // The plain "merchant_id = @m AND idempotency_key = ANY(@keys)" leaves the planner a choice, and on a young
            // table (no statistics yet, or a merchant that grew since the last ANALYZE) it walks the merchant's whole
            // purchase history through the (merchant_id, occurred_at) index: 3–5 ms per batch after a minute of load,
            // growing with the table. So the lookup probes the (merchant_id, idempotency_key) index once per key, planned
            // with this batch's values: a generic plan cached by the prepared statement while the table was small would
            // keep the wrong index.
            await c.ExecuteAsync(new CommandDefinition("SET LOCAL plan_cache_mode = force_custom_plan", transaction: tx, cancellationToken: ct));
        }
        foreach (var group in lookUpPrevious ? commands.GroupBy(x => x.MerchantId, StringComparer.Ordinal) : [])
        {
            var keys = group.Select(x => x.IdempotencyKey).Distinct(StringComparer.Ordinal).ToList();
            var lookup = db.IsPostgres
                ? "SELECT p.id, p.member_id AS MemberId, p.idempotency_key AS IdempotencyKey, p.request_hash AS RequestHash, p.units " +
                  "FROM unnest(@keys::text[]) AS k(key) CROSS JOIN LATERAL (SELECT * FROM loyalty_purchases WHERE merchant_id = @merchant AND idempotency_key = k.key LIMIT 1) p"
                : $"SELECT id, member_id AS MemberId, idempotency_key AS IdempotencyKey, request_hash AS RequestHash, units FROM loyalty_purchases WHERE merchant_id = @merchant AND {db.In("idempotency_key", "@keys")}";
            foreach (var row in await c.QueryAsync<PreviousPurchase>(new CommandDefinition(lookup, new { merchant = group.Key, keys }, tx, cancellationToken: ct)))
            {
                previous[(group.Key, row.IdempotencyKey)] = row;
            }
        }
        // balances from the projection (open units), less what is not spendable now: pending units (only programmes with a
        // pending period have any) and units past their expiry that the sweep has not written off yet (an index range, usually empty)
        var withPending = ids.Where(id => members.TryGetValue(id!, out var m) && programmes.TryGetValue(m.MerchantId, out var p) && p.Definition.PendingDays > 0).ToList();
        var expired = ids.Count == 0 ? [] : (await c.QueryAsync<(string Member, long Units)>(new CommandDefinition(
            $"SELECT member_id, CAST(SUM(remaining) AS BIGINT) FROM loyalty_batches WHERE {db.In("member_id", "@ids")} AND expires_at <= @now AND remaining > 0 GROUP BY member_id",
            new { ids, now = nowText }, tx, cancellationToken: ct))).ToDictionary(r => r.Member, r => r.Units, StringComparer.Ordinal);
        var pendingUnits = withPending.Count == 0 ? [] : (await c.QueryAsync<(string Member, long Units)>(new CommandDefinition(
            $"SELECT member_id, CAST(SUM(remaining) AS BIGINT) FROM loyalty_batches WHERE {db.In("member_id", "@withPending")} AND available_at > @now " +
            "AND remaining > 0 AND (expires_at IS NULL OR expires_at > @now) GROUP BY member_id",
            new { withPending, now = nowText }, tx, cancellationToken: ct))).ToDictionary(r => r.Member, r => r.Units, StringComparer.Ordinal);
        var balances = new Dictionary<string, BalanceRow>(StringComparer.Ordinal);
        foreach (var (id, m) in members)
        {
            var pending = pendingUnits.GetValueOrDefault(id);
            balances[id] = new BalanceRow { MemberId = id, Available = m.OpenUnits - expired.GetValueOrDefault(id) - pending, Pending = pending };
        }
        var windowEarned = new Dictionary<string, long>(StringComparer.Ordinal);
        var usage = new Dictionary<(string Boost, string Member, string Period), long>();
        foreach (var (merchantId, programme) in programmes)
        {
            var own = ids.Where(id => members.TryGetValue(id!, out var m) && m.MerchantId == merchantId).ToList();
            if (own.Count == 0)
            {
                continue;
            }
            if (programme.Definition.Tiers is { } tiers)
            {
                foreach (var (member, units) in await c.QueryAsync<(string, long)>(new CommandDefinition(
                    $"SELECT member_id, CAST(SUM(units) AS BIGINT) FROM loyalty_batches WHERE {db.In("member_id", "@own")} AND purchase_id IS NOT NULL AND earned_at >= @from GROUP BY member_id",
                    new { own, from = Sql.Time(now.AddDays(-tiers.WindowDays)) }, tx, cancellationToken: ct)))
                {
                    windowEarned[member] = units;
                }
            }
            var capped = programme.Definition.Boosts.Where(b => b.CapPerMember is not null || b.Budget is not null).Select(b => b.Id).ToList();
            if (capped.Count > 0)
            {
                own.Add("*");
                foreach (var row in await c.QueryAsync<UsageRow>(new CommandDefinition(
                    $"SELECT boost_id AS BoostId, member_id AS MemberId, period, units FROM loyalty_boost_usage WHERE merchant_id = @merchantId AND {db.In("boost_id", "@capped")} AND {db.In("member_id", "@own")}",
                    new { merchantId, capped, own }, tx, cancellationToken: ct)))
                {
                    usage[(row.BoostId, row.MemberId, row.Period)] = row.Units;
                }
            }
        }
        var nonces = codes.Where(x => x is not null).Select(x => x!.Nonce).ToList();
        var usedNonces = nonces.Count == 0 ? new HashSet<string>(StringComparer.Ordinal) : (await c.QueryAsync<string>(new CommandDefinition(
            $"SELECT nonce FROM loyalty_code_uses WHERE {db.In("nonce", "@nonces")}", new { nonces }, tx, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);

        // 4. decide, in arrival order
        var writes = new SqlWrites(); // boost usage upserts (few); the purchase rows go through `rows`
        var rows = new PurchaseRows();
        var dirty = new HashSet<string>(StringComparer.Ordinal);
        var inBatch = new Dictionary<(string, string), (string Hash, PurchaseOutcome Outcome)>();
        for (var i = 0; i < n; i++)
        {
            var cmd = commands[i];
            var memberId = memberIds[i];
            if (!merchants.ContainsKey(cmd.MerchantId))
            {
                results[i] = Error.NotFound("merchant " + cmd.MerchantId);
                continue;
            }
            if (!programmes.TryGetValue(cmd.MerchantId, out var programme))
            {
                results[i] = Error.Conflict("no_programme", "This shop has no programme yet.");
                continue;
            }
            if (cmd.StoreId is { } storeId && stores.GetValueOrDefault(storeId) != cmd.MerchantId)
            {
                results[i] = Error.Validation("store_id", "is not one of this shop's stores");
                continue;
            }
            if (cmd.MemberCode is not null && verdicts[i] is MemberCode.Verdict.Malformed or MemberCode.Verdict.BadSignature)
            {
                results[i] = Error.Invalid("member_code_invalid", "This member code is not one of this shop's codes (bad format or signature).");
                continue;
            }
            MemberRow? member = null;
            if (memberId is not null && (!members.TryGetValue(memberId, out member) || member.MerchantId != cmd.MerchantId))
            {
                results[i] = Error.NotFound("member " + memberId);
                continue;
            }
            var hash = RequestHash(cmd, memberId);
            if (previous.TryGetValue((cmd.MerchantId, cmd.IdempotencyKey), out var prev))
            {
                results[i] = prev.RequestHash != hash
                    ? KeyReused(cmd.IdempotencyKey)
                    : Replay(prev.Id, prev.MemberId, prev.Units);
                continue;
            }
            if (inBatch.TryGetValue((cmd.MerchantId, cmd.IdempotencyKey), out var earlier))
            {
                results[i] = earlier.Hash != hash ? KeyReused(cmd.IdempotencyKey) : earlier.Outcome with { Replayed = true };
                continue;
            }
            if (member?.ErasedAt is not null)
            {
                results[i] = Error.Conflict("member_erased", "This member's data was erased; the card no longer earns.");
                continue;
            }
            if (codes[i] is { } code)
            {
                if (verdicts[i] == MemberCode.Verdict.Expired)
                {
                    results[i] = Error.Invalid("member_code_expired", "This member code has expired: ask the customer to show the code on their card page now.");
                    continue;
                }
                if (verdicts[i] == MemberCode.Verdict.NotYetValid)
                {
                    results[i] = Error.Invalid("member_code_not_yet_valid", "This member code is dated in the future; check the clock of the device.");
                    continue;
                }
                if (!usedNonces.Add(code.Nonce))
                {
                    results[i] = Error.Conflict("member_code_replayed", "This member code was already used: ask the customer to show the code on their card page now.");
                    continue;
                }
            }
            var definition = programme.Definition;
            if (member is not null && cmd.Source == "scan" && member.LastEarnedAt is { } last
                && (now - Sql.ParseTime(last)).TotalSeconds < definition.MinSecondsBetweenEarnings)
            {
                if (codes[i] is { } undo)
                {
                    usedNonces.Remove(undo.Nonce);
                }
                results[i] = Error.Conflict("too_soon", $"This card earned less than {definition.MinSecondsBetweenEarnings} s ago; the shop set a minimum delay between two earnings.");
                continue;
            }

            var occurred = Sql.TruncateToMicroseconds(cmd.OccurredAt ?? now);
            var purchaseId = MemberCode.NewOrderedId("pur", now);
            Earning earning = Earning.Nothing("not a member");
            if (member is not null)
            {
                var tierMultiplier = definition.Tiers is { } t && member.TierLevel >= 0 && member.TierLevel < t.Levels.Count ? t.Levels[(int)member.TierLevel].Multiplier : 1m;
                var room = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var boost in definition.Boosts)
                {
                    long left = long.MaxValue;
                    if (boost.CapPerMember is { } cap)
                    {
                        left = Math.Min(left, cap - usage.GetValueOrDefault((boost.Id, member.Id, Period(boost, occurred))));
                    }
                    if (boost.Budget is { } budget)
                    {
                        left = Math.Min(left, budget - usage.GetValueOrDefault((boost.Id, "*", "all")));
                    }
                    if (left != long.MaxValue)
                    {
                        room[boost.Id] = left;
                    }
                }
                earning = PointsCalculator.Calculate(definition, cmd.Amount_cents / 100m, cmd.Lines ?? [], occurred, new EarningContext(tierMultiplier, room), cmd.Items);
            }
            var units = earning.Units;
            rows.Purchase(purchaseId, cmd.MerchantId, memberId, cmd.StoreId, cmd.Amount_cents,
                cmd.Items > 0 ? cmd.Items : (long)Math.Ceiling((cmd.Lines ?? []).Sum(l => l.Quantity)),
                JsonSerializer.Serialize(cmd.Lines ?? [], LineJson),
                string.Join(',', (cmd.Lines ?? []).Select(l => l.Category).Where(x => !string.IsNullOrEmpty(x)).Distinct()),
                Sql.Time(occurred), cmd.IdempotencyKey, hash, cmd.Source, units);
            if (codes[i] is { } used)
            {
                rows.CodeUse(used.Nonce, memberId!);
            }
            long available = 0, pending = 0;
            if (member is not null)
            {
                var balance = balances.GetValueOrDefault(member.Id) ?? new BalanceRow { MemberId = member.Id };
                balances[member.Id] = balance;
                member.Visits++;
                member.LastVisitAt = Sql.Time(occurred);
                if (units > 0)
                {
                    var entryId = MemberCode.NewOrderedId("led", now);
                    member.EntrySeq++;
                    rows.Earn(entryId, cmd.MerchantId, member.Id, member.EntrySeq, units, "purchase:" + cmd.IdempotencyKey, purchaseId, Reason(earning));
                    var paid = Math.Min(member.Debt, units);
                    member.Debt -= paid;
                    member.OpenUnits += units - paid;
                    var availableAt = occurred.AddDays(definition.PendingDays);
                    DateTimeOffset? expiresAt = definition.ExpiryDays > 0 ? occurred.AddDays(definition.ExpiryDays) : null;
                    rows.Batch(entryId, cmd.MerchantId, member.Id, purchaseId, Sql.Time(occurred), Sql.Time(availableAt), expiresAt is { } e ? Sql.Time(e) : null, units, units - paid);
                    if (availableAt <= now)
                    {
                        balance.Available += units - paid;
                    }
                    else
                    {
                        balance.Pending += units - paid;
                    }
                    member.LifetimeEarned += units;
                    member.LastEarnedAt = nowText;
                    if (definition.Tiers is { } tiers)
                    {
                        var earned = windowEarned[member.Id] = windowEarned.GetValueOrDefault(member.Id) + units;
                        var state = Tiers.Evaluate(tiers, new TierState((int)member.TierLevel, member.TierGraceUntil is { } g ? Sql.ParseTime(g) : null), earned, now);
                        member.TierLevel = state.Level;
                        member.TierGraceUntil = state.GraceUntil is { } gu ? Sql.Time(gu) : null;
                    }
                    foreach (var (boostId, extra) in earning.BoostExtra)
                    {
                        var boost = definition.Boosts.First(b => b.Id == boostId);
                        if (boost.CapPerMember is not null)
                        {
                            AddUsage(writes, usage, cmd.MerchantId, boostId, member.Id, Period(boost, occurred), extra);
                        }
                        if (boost.Budget is not null)
                        {
                            AddUsage(writes, usage, cmd.MerchantId, boostId, "*", "all", extra);
                        }
                    }
                }
                dirty.Add(member.Id);
                available = balance.Available - member.Debt;
                pending = balance.Pending;
                if ((member.Visits == 1 && member.ReferredBy is not null) || (definition.Surprises.NthVisit > 0 && member.Visits == definition.Surprises.NthVisit))
                {
                    followUps.Add(new FollowUp(cmd.MerchantId, member.Id, member.Visits, member.ReferredBy));
                }
            }
            var outcome = new PurchaseOutcome(purchaseId, memberId, units, pending, available, false, earning.Note, earning.BoostExtra.Count > 0 ? earning.BoostExtra : null);
            inBatch[(cmd.MerchantId, cmd.IdempotencyKey)] = (hash, outcome);
            results[i] = outcome;
        }
        if (!lookUpPrevious && results.Any(r => !r.IsSuccess))
        {
            return false;
        }
        foreach (var id in dirty)
        {
            rows.Member(members[id]);
        }
        var usageWrites = writes;
        writes = new SqlWrites();
        rows.WriteTo(writes, db.IsPostgres, nowText);
        writes.AddRange(usageWrites);
        await writes.ExecuteAsync(c, tx, ct);
        return true;

        Result<PurchaseOutcome> Replay(string purchaseId, string? memberId, long units)
        {
            var b = memberId is null ? null : balances.GetValueOrDefault(memberId);
            var debt = memberId is not null && members.TryGetValue(memberId, out var m) ? m.Debt : 0;
            return new PurchaseOutcome(purchaseId, memberId, units, b?.Pending ?? 0, (b?.Available ?? 0) - debt, true, null);
        }
    }

    private static Error KeyReused(string key) =>
        Error.Conflict("idempotency_key_reused", $"The idempotency key '{key}' was already used for a different purchase.");

    private static string Reason(Earning e)
    {
        var parts = new List<string> { string.Create(CultureInfo.InvariantCulture, $"base {e.Base:0.##}") };
        if (e.LineExtra != 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"lines +{e.LineExtra:0.##}"));
        }
        if (e.TierExtra != 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"tier +{e.TierExtra:0.##}"));
        }
        parts.AddRange(e.BoostExtra.Select(b => $"{b.Key} +{b.Value}"));
        return string.Join(", ", parts);
    }

    private static void AddUsage(SqlWrites writes, Dictionary<(string, string, string), long> usage, string merchantId, string boostId, string memberId, string period, long units)
    {
        usage[(boostId, memberId, period)] = usage.GetValueOrDefault((boostId, memberId, period)) + units;
        writes.Add(
            "INSERT INTO loyalty_boost_usage (merchant_id, boost_id, member_id, period, units) VALUES (@merchant, @boost, @member, @period, @units) " +
            "ON CONFLICT (merchant_id, boost_id, member_id, period) DO UPDATE SET units = loyalty_boost_usage.units + excluded.units",
            ("merchant", merchantId), ("boost", boostId), ("member", memberId), ("period", period), ("units", units));
    }

    /// <summary>The cap period a purchase falls in, in the boost's time zone: 2026-03-14, 2026-W11, 2026-03 or all.</summary>
    public static string Period(Boost boost, DateTimeOffset at)
    {
        var zone = Recurrence.Zone(boost.TimeZone) ?? TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
        return boost.CapPeriod switch
        {
            CapPeriod.Day => local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            CapPeriod.Week => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(local)}-W{ISOWeek.GetWeekOfYear(local):D2}"),
            CapPeriod.Month => local.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            _ => "all",
        };
    }
}
