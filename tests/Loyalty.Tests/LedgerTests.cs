using System.Data.Common;
using Dapper;
using Socle.Modules.Loyalty.Demo;
using Socle.Modules.Loyalty.Ledger;
using Socle.Modules.Loyalty.Members;
using Socle.Modules.Loyalty.Programs;
using Socle.Modules.Loyalty.Rules;
using Socle.Testing;

namespace Socle.Loyalty.Tests;

/// <summary>The ledger on SQLite and PostgreSQL: idempotency, per-member serialisation, FIFO expiry, refunds, redemption.</summary>
public class LedgerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static readonly ProgrammeDefinition Bands = new() { Bands = [new Band(50, 5), new Band(null, 10)], ExpiryDays = 365, MinSecondsBetweenEarnings = 0 };

    internal static async Task<(ShopCreated Shop, Joined Member)> ShopWithMemberAsync(LoyaltyHarness h, ProgrammeDefinition? programme = null, long rewardCost = 300)
    {
        var shop = (await h.Merchants.SetUpAsync(new SetUpShop("Café test", "Rue test", "Owner", "Points", programme ?? Bands, "Café offert", rewardCost, 150), Ct)).Value;
        var member = (await h.Members.JoinAsync(new JoinRequest(shop.JoinCode, "Alice", "alice@example.org", 14, 7, true, false, false), Ct)).Value;
        return (shop, member);
    }

    private static async Task<long> CountAsync(LoyaltyHarness h, string sql, object? args = null)
    {
        await using var c = await h.Database.OpenAsync(Ct);
        return await c.ExecuteScalarAsync<long>(sql, args);
    }

    /// <summary>The member row's open-units projection equals the sum of its batches' remaining units.</summary>
    internal static async Task AssertProjectionAsync(LoyaltyHarness h, string memberId)
    {
        await using var c = await h.Database.OpenAsync(Ct);
        var projected = await c.ExecuteScalarAsync<long>("SELECT open_units FROM loyalty_members WHERE id = @memberId", new { memberId });
        var batches = await c.ExecuteScalarAsync<long>("SELECT CAST(COALESCE(SUM(remaining), 0) AS BIGINT) FROM loyalty_batches WHERE member_id = @memberId", new { memberId });
        Assert.Equal(batches, projected);
    }

    [Theory, StorageProviders]
    public async Task A_purchase_earns_the_brief_s_bands_and_a_retry_with_the_same_key_writes_nothing(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await ShopWithMemberAsync(h);
        var first = (await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "till-1/0001", 8000, member.MemberId), Ct)).Value;
        Assert.Equal(550, first.Units);
        Assert.Equal(550, first.Balance);
        Assert.False(first.Replayed);

        var again = (await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "till-1/0001", 8000, member.MemberId), Ct)).Value;
        Assert.True(again.Replayed);
        Assert.Equal(first.PurchaseId, again.PurchaseId);
        Assert.Equal(550, again.Balance);
        Assert.Equal(1, await CountAsync(h, "SELECT COUNT(*) FROM loyalty_ledger WHERE member_id = @MemberId", member));

        var different = await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "till-1/0001", 9000, member.MemberId), Ct);
        Assert.Equal("idempotency_key_reused", different.Error!.Code);
    }

    [Theory, StorageProviders]
    public async Task A_thousand_concurrent_submissions_of_one_purchase_with_one_key_make_one_ledger_entry(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await ShopWithMemberAsync(h);
        var command = new PurchaseCommand(shop.MerchantId, "pos-7/receipt-42", 8000, member.MemberId);
        var results = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => Task.Run(() => h.Writer.SubmitAsync(command, Ct), Ct)));

        Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        Assert.Single(results.Select(r => r.Value.PurchaseId).Distinct());
        Assert.Equal(999, results.Count(r => r.Value.Replayed));
        Assert.All(results, r => Assert.Equal(550, r.Value.Units));
        Assert.Equal(1, await CountAsync(h, "SELECT COUNT(*) FROM loyalty_ledger WHERE member_id = @MemberId", member));
        Assert.Equal(1, await CountAsync(h, "SELECT COUNT(*) FROM loyalty_purchases WHERE member_id = @MemberId", member));
        Assert.Equal(550, (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!.Balance);
    }

    [Theory, StorageProviders]
    public async Task Concurrent_purchases_of_one_member_are_all_recorded_in_order(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await ShopWithMemberAsync(h);
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            Task.Run(() => h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, $"k{i}", 1000, member.MemberId), Ct), Ct)));
        Assert.All(results, r => Assert.Equal(50, r.Value.Units));
        await using var c = await h.Database.OpenAsync(Ct);
        var seqs = (await c.QueryAsync<long>("SELECT seq FROM loyalty_ledger WHERE member_id = @MemberId ORDER BY seq", member)).ToList();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seqs);
        Assert.Equal(10_000, (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!.Balance);
        await AssertProjectionAsync(h, member.MemberId);
    }

    [Theory, StorageProviders]
    public async Task Over_redemption_is_refused_with_no_partial_write(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await ShopWithMemberAsync(h, rewardCost: 300);
        await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "p1", 5000, member.MemberId), Ct); // 250 points

        var ledgerBefore = await CountAsync(h, "SELECT COUNT(*) FROM loyalty_ledger");
        var refused = await h.Ledger.RedeemAsync(shop.MerchantId, member.MemberId, shop.RewardId, "r1", Ct);
        Assert.Equal("insufficient_balance", refused.Error!.Code);
        Assert.Equal(ledgerBefore, await CountAsync(h, "SELECT COUNT(*) FROM loyalty_ledger"));
        Assert.Equal(0, await CountAsync(h, "SELECT COUNT(*) FROM loyalty_reward_codes"));
        Assert.Equal(250, await CountAsync(h, "SELECT SUM(remaining) FROM loyalty_batches"));
        Assert.Equal(250, (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!.Balance);

        // with 500 points, ten concurrent redemptions of a 300-point reward: exactly one succeeds
        await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "p2", 5000, member.MemberId), Ct); // +250
        var attempts = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => h.Ledger.RedeemAsync(shop.MerchantId, member.MemberId, shop.RewardId, $"race-{i}", Ct), Ct)));
        Assert.Equal(1, attempts.Count(a => a.IsSuccess));
        Assert.All(attempts.Where(a => !a.IsSuccess), a => Assert.Equal("insufficient_balance", a.Error!.Code));
        Assert.Equal(200, (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!.Balance);
        Assert.Equal(1, await CountAsync(h, "SELECT COUNT(*) FROM loyalty_reward_codes"));
        await AssertProjectionAsync(h, member.MemberId);
    }

    [Theory, StorageProviders]
    public async Task Points_are_spent_first_in_first_out_and_expire_on_their_date(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await ShopWithMemberAsync(h, rewardCost: 300);
        await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "old", 5000, member.MemberId), Ct);   // 250, expires 2027-03-09
        h.Clock.Advance(TimeSpan.FromDays(100));
        await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "new", 10000, member.MemberId), Ct);  // 750, expires 2027-06-17
        var card = (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!;
        Assert.Equal(1000, card.Balance);
        Assert.Equal(new NextExpiry("2027-03-09", 250), card.NextExpiry);

        await h.Ledger.RedeemAsync(shop.MerchantId, member.MemberId, shop.RewardId, "r", Ct); // takes the 250 old, then 50 of the new
        await using (var c = await h.Database.OpenAsync(Ct))
        {
            var remaining = (await c.QueryAsync<long>("SELECT remaining FROM loyalty_batches ORDER BY earned_at")).ToList();
            Assert.Equal([0L, 700L], remaining);
        }
        h.Clock.Advance(TimeSpan.FromDays(400)); // past both expiry dates
        Assert.Equal(1, await h.Ledger.ExpireDueAsync(shop.MerchantId, Ct));
        card = (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!;
        Assert.Equal(0, card.Balance);
        Assert.Equal(-700, await CountAsync(h, "SELECT SUM(units) FROM loyalty_ledger WHERE kind = 'expire'"));
        Assert.Equal(0, await h.Ledger.ExpireDueAsync(shop.MerchantId, Ct)); // nothing twice
        await AssertProjectionAsync(h, member.MemberId);
    }

    [Theory, StorageProviders]
    public async Task A_refund_cancels_pending_points_and_turns_spent_ones_into_a_debt(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await ShopWithMemberAsync(h, Bands with { PendingDays = 14 }, rewardCost: 300);
        var bought = (await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "a", 8000, member.MemberId), Ct)).Value;
        Assert.Equal(550, bought.Pending);
        Assert.Equal(0, bought.Balance);
        var half = (await h.Ledger.RefundAsync(shop.MerchantId, bought.PurchaseId, 4000, "refund-1", Ct)).Value;
        Assert.Equal(-275, half.Units);
        var card = (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!;
        Assert.Equal(275, card.Pending);

        h.Clock.Advance(TimeSpan.FromDays(15)); // the rest is now available; spend it, then refund the rest of the purchase
        Assert.True((await h.Ledger.RedeemAsync(shop.MerchantId, member.MemberId, shop.RewardId, "spend", Ct)).IsSuccess == false); // 275 < 300
        await h.Ledger.AdjustAsync(shop.MerchantId, member.MemberId, 25, "goodwill", "adj-1", ct: Ct);
        Assert.True((await h.Ledger.RedeemAsync(shop.MerchantId, member.MemberId, shop.RewardId, "spend", Ct)).IsSuccess);
        var rest = (await h.Ledger.RefundAsync(shop.MerchantId, bought.PurchaseId, 4000, "refund-2", Ct)).Value;
        Assert.Equal(-275, rest.Units);
        Assert.Equal(-275, rest.Balance); // owed: paid back by the next earnings
        var next = (await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "b", 10000, member.MemberId), Ct)).Value;
        Assert.Equal(750 - 275, next.Pending); // the debt is paid first
        h.Clock.Advance(TimeSpan.FromDays(15));
        Assert.Equal(475, (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!.Balance);
        await AssertProjectionAsync(h, member.MemberId);
        var over = await h.Ledger.RefundAsync(shop.MerchantId, bought.PurchaseId, 1, "refund-3", Ct);
        Assert.Equal("validation", over.Error!.Code);
    }

    [Theory, StorageProviders]
    public async Task The_ledger_refuses_edits_and_deletions(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await ShopWithMemberAsync(h);
        await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "x", 8000, member.MemberId), Ct);
        await using var c = await h.Database.OpenAsync(Ct);
        await Assert.ThrowsAnyAsync<DbException>(() => c.ExecuteAsync("UPDATE loyalty_ledger SET units = 100000"));
        await Assert.ThrowsAnyAsync<DbException>(() => c.ExecuteAsync("DELETE FROM loyalty_ledger"));
        Assert.Equal(550, await c.ExecuteScalarAsync<long>("SELECT units FROM loyalty_ledger"));
    }

    [Theory, StorageProviders]
    public async Task Boost_caps_and_tiers_are_kept_per_member(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var programme = Bands with
        {
            Boosts = [new Boost("x2", "x2", 2, new DateTime(2026, 1, 1), "P365D", CapPerMember: 600, CapPeriod: CapPeriod.Month)],
            Tiers = new TierSettings(365, [new TierLevel("Argent", 1500, 1.1m)]),
        };
        var (shop, member) = await ShopWithMemberAsync(h, programme);
        var a = (await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "1", 8000, member.MemberId), Ct)).Value;
        Assert.Equal(1100, a.Units); // 550 + 550 extra (cap 600)
        var b = (await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "2", 8000, member.MemberId), Ct)).Value;
        Assert.Equal(600, b.Units); // 550 + the 50 left under the cap; now 1,700 earned: Argent
        Assert.Equal("Argent", (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!.Tier);
        var c = (await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "3", 8000, member.MemberId), Ct)).Value;
        Assert.Equal(605, c.Units); // 550 × 1.1, no boost room left this month
        h.Clock.Advance(TimeSpan.FromDays(31)); // April: a new cap period
        var d = (await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "4", 8000, member.MemberId), Ct)).Value;
        Assert.Equal(605 + 600, d.Units);
    }
}
