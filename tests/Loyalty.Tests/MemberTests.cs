using System.Text.Json;
using Dapper;
using Socle.Modules.Loyalty.Ledger;
using Socle.Modules.Loyalty.Members;
using Socle.Modules.Loyalty.Programs;
using Socle.Testing;

namespace Socle.Loyalty.Tests;

/// <summary>Member codes at the till, referral, surprises and the GDPR rights, on both providers.</summary>
public class MemberTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> CodeAsync(LoyaltyHarness h, ShopCreated shop, Joined member)
    {
        var merchant = (await h.Merchants.GetAsync(shop.MerchantId, Ct))!;
        return MemberCode.Issue(merchant.QrKeyBytes, merchant.Id, member.MemberId, h.Clock.GetUtcNow());
    }

    [Theory, StorageProviders]
    public async Task A_scanned_member_code_works_once_and_a_replayed_or_expired_one_is_refused(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await LedgerTests.ShopWithMemberAsync(h);
        var code = await CodeAsync(h, shop, member);
        var ok = await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "scan-1", 8000, MemberCode: code, Source: "scan"), Ct);
        Assert.Equal(550, ok.Value.Units);
        Assert.Equal(member.MemberId, ok.Value.MemberId);

        var replay = await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "scan-2", 8000, MemberCode: code, Source: "scan"), Ct);
        Assert.Equal("member_code_replayed", replay.Error!.Code);

        // the till retrying the same scan (same key, same code) gets the recorded purchase back, not "code already used",
        // even inside a batch with a new purchase
        var retry = h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "scan-1", 8000, MemberCode: code, Source: "scan"), Ct);
        var other = h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "till-9", 1000, member.MemberId), Ct);
        Assert.True((await retry).Value.Replayed);
        Assert.Equal(ok.Value.PurchaseId, (await retry).Value.PurchaseId);
        Assert.Equal(50, (await other).Value.Units);

        var old = await CodeAsync(h, shop, member);
        h.Clock.Advance(TimeSpan.FromSeconds(MemberCode.ValiditySeconds + 1));
        var expired = await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "scan-3", 8000, MemberCode: old, Source: "scan"), Ct);
        Assert.Equal("member_code_expired", expired.Error!.Code);

        var forged = await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "scan-4", 8000, MemberCode: old.Replace(member.MemberId, "mem_other", StringComparison.Ordinal), Source: "scan"), Ct);
        Assert.Equal("member_code_invalid", forged.Error!.Code);
        await using var c = await h.Database.OpenAsync(Ct);
        Assert.Equal(2, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM loyalty_ledger"));
    }

    [Theory, StorageProviders]
    public async Task The_typed_code_and_the_minimum_delay_between_stamps(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await LedgerTests.ShopWithMemberAsync(h, new ProgrammeDefinition { Kind = ProgrammeKind.Visits, MinSecondsBetweenEarnings = 300 }, rewardCost: 10);
        var merchant = (await h.Merchants.GetAsync(shop.MerchantId, Ct))!;
        var typed = MemberCode.IssueTyped(merchant.QrKeyBytes, member.MemberId, member.ReferralCode, h.Clock.GetUtcNow());
        var first = await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "v1", 450, MemberCode: typed.ToLowerInvariant(), Source: "scan"), Ct);
        Assert.Equal(1, first.Value.Units);
        h.Clock.Advance(TimeSpan.FromSeconds(60));
        var soon = await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "v2", 450, MemberCode: await CodeAsync(h, shop, member), Source: "scan"), Ct);
        Assert.Equal("too_soon", soon.Error!.Code);
        h.Clock.Advance(TimeSpan.FromSeconds(300));
        var later = await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "v3", 450, MemberCode: await CodeAsync(h, shop, member), Source: "scan"), Ct);
        Assert.Equal(2, later.Value.Balance);
    }

    [Theory, StorageProviders]
    public async Task A_referral_rewards_both_at_the_friend_s_first_purchase_and_self_referral_goes_to_review(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, alice) = await LedgerTests.ShopWithMemberAsync(h, LedgerTests.Bands with { Referral = new ReferralSettings(300, 150) });
        var bob = (await h.Members.JoinAsync(new JoinRequest(shop.JoinCode, "Bob", "bob@example.org", null, null, true, false, false, alice.ReferralCode, "device-b"), Ct)).Value;
        Assert.Equal("pending", bob.ReferralStatus);
        await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "bob-1", 1000, bob.MemberId), Ct);
        Assert.Equal(300, (await h.Members.CardAsync(shop.MerchantId, alice.MemberId, Ct))!.Balance);
        Assert.Equal(50 + 150, (await h.Members.CardAsync(shop.MerchantId, bob.MemberId, Ct))!.Balance);
        await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "bob-2", 1000, bob.MemberId), Ct);
        Assert.Equal(300, (await h.Members.CardAsync(shop.MerchantId, alice.MemberId, Ct))!.Balance); // once only

        var self = (await h.Members.JoinAsync(new JoinRequest(shop.JoinCode, "Alice B", "ALICE@example.org", null, null, true, false, false, alice.ReferralCode), Ct)).Value;
        Assert.Equal("review", self.ReferralStatus);
        await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "self-1", 1000, self.MemberId), Ct);
        Assert.Equal(300, (await h.Members.CardAsync(shop.MerchantId, alice.MemberId, Ct))!.Balance); // nothing until approved

        // velocity: a fourth referral from one device within a week goes to review
        for (var i = 0; i < 3; i++)
        {
            var j = (await h.Members.JoinAsync(new JoinRequest(shop.JoinCode, $"F{i}", null, null, null, true, false, false, alice.ReferralCode, "device-x"), Ct)).Value;
            Assert.Equal("pending", j.ReferralStatus);
        }
        var fourth = (await h.Members.JoinAsync(new JoinRequest(shop.JoinCode, "F4", null, null, null, true, false, false, alice.ReferralCode, "device-x"), Ct)).Value;
        Assert.Equal("review", fourth.ReferralStatus);
    }

    [Theory, StorageProviders]
    public async Task Consents_are_separate_and_withdrawing_marketing_keeps_the_programme(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await LedgerTests.ShopWithMemberAsync(h);
        var refused = await h.Members.JoinAsync(new JoinRequest(shop.JoinCode, "Zoé", null, 31, 2, false, true, true), Ct);
        Assert.Contains("accept_programme", refused.Error!.Fields!.Keys);
        Assert.Contains("birthday", refused.Error.Fields.Keys);

        await h.Members.SetConsentAsync(member.MemberId, Purpose.Marketing, true, Ct);
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        await h.Members.SetConsentAsync(member.MemberId, Purpose.Marketing, false, Ct);
        var consents = await h.Members.ConsentsAsync(member.MemberId, Ct);
        Assert.Equal([Purpose.Programme, Purpose.Marketing, Purpose.Profiling], consents.Select(c => c.Purpose));
        Assert.True(consents[0].Granted);
        Assert.False(consents[1].Granted);
        Assert.All(consents, c => Assert.Equal(Purpose.WordingVersion, c.WordingVersion));
        var still = await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "after", 8000, member.MemberId), Ct);
        Assert.Equal(550, still.Value.Units);
        Assert.Equal("validation", (await h.Members.SetConsentAsync(member.MemberId, Purpose.Programme, false, Ct)).Error!.Code);
    }

    [Theory, StorageProviders]
    public async Task Export_holds_everything_and_erasure_keeps_the_ledger_under_a_pseudonym(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await LedgerTests.ShopWithMemberAsync(h);
        await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "e1", 8000, member.MemberId), Ct);
        using (var export = await h.Members.ExportJsonAsync(shop.MerchantId, member.MemberId, Ct))
        {
            var root = export.RootElement;
            Assert.Equal("Alice", root.GetProperty("member").GetProperty("display_name").GetString());
            Assert.Equal(550, root.GetProperty("ledger")[0].GetProperty("units").GetInt64());
            Assert.Equal(3, root.GetProperty("consents").GetArrayLength());
        }
        Assert.StartsWith("seq,kind,units,reason,at,purchase_id\n1,earn,550,", await h.Members.ExportCsvAsync(member.MemberId, Ct));

        var pseudonym = (await h.Members.EraseAsync(shop.MerchantId, member.MemberId, Ct)).Value;
        Assert.StartsWith("P-", pseudonym);
        Assert.Null(await h.Members.ByCardAsync(member.CardToken, Ct));
        await using var c = await h.Database.OpenAsync(Ct);
        var row = await c.QuerySingleAsync<(string? Name, string? Email, long? Day, string Pseudonym)>(
            "SELECT display_name, email, birthday_day, pseudonym FROM loyalty_members WHERE id = @MemberId", member);
        Assert.Null(row.Name);
        Assert.Null(row.Email);
        Assert.Null(row.Day);
        Assert.Equal(pseudonym, row.Pseudonym);
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM loyalty_ledger WHERE member_id = @MemberId", member));
        var after = await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "e2", 8000, member.MemberId), Ct);
        Assert.Equal("member_erased", after.Error!.Code);
        var journal = await h.Get<Platform.Journal.Journal>().VerifyStoredAsync(ct: Ct);
        Assert.True(journal.Ok);
    }

    [Theory, StorageProviders]
    public async Task Surprises_are_granted_once_on_the_day(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await LedgerTests.ShopWithMemberAsync(h, LedgerTests.Bands with { Surprises = new SurpriseSettings(BirthdayPoints: 200, NthVisit: 3, NthVisitPoints: 1000) });
        for (var i = 0; i < 3; i++)
        {
            await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, $"v{i}", 100, member.MemberId), Ct);
        }
        Assert.Equal(15 + 1000, (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!.Balance);
        h.Clock.Set(new DateTimeOffset(2026, 7, 14, 8, 0, 0, TimeSpan.Zero)); // Alice's birthday is 14 July
        Assert.Equal(1, await h.Get<Surprises>().RunAsync(Ct));
        Assert.Equal(0, await h.Get<Surprises>().RunAsync(Ct));
        Assert.Equal(15 + 1000 + 200, (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!.Balance);
        Assert.Contains((await h.Get<Outbox>().ForMemberAsync(member.MemberId, Ct)), m => m.Kind == "birthday");
    }

    [Theory, StorageProviders]
    public async Task The_liability_report_follows_the_ledger(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var programme = LedgerTests.Bands with { Bands = [new Band(null, 0.1m)], ValuePerUnit_eur = 1, ExpectedRedemptionRate = 0.97m };
        var (shop, member) = await LedgerTests.ShopWithMemberAsync(h, programme, rewardCost: 4500);
        // KPMG's example in miniature: 100,000 of sales at 1 point per 10 → 10,000 points worth 1 each, 97 % expected
        await h.Writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "sales", 10_000_000, member.MemberId), Ct);
        var before = await h.Get<Socle.Modules.Loyalty.Liability.LiabilityReport>().BuildAsync(shop.MerchantId, programme, Ct);
        Assert.Equal(10_000, before.UnitsIssued);
        Assert.Equal(8_842.30m, before.AllocatedToPoints_eur);
        Assert.Equal(0, before.RevenueRecognised_eur);
        Assert.Equal(8_842.30m, before.ContractLiability_eur);
        await h.Ledger.RedeemAsync(shop.MerchantId, member.MemberId, shop.RewardId, "y2", Ct); // 4,500 points
        var after = await h.Get<Socle.Modules.Loyalty.Liability.LiabilityReport>().BuildAsync(shop.MerchantId, programme, Ct);
        Assert.Equal(4_500, after.UnitsRedeemed);
        Assert.Equal(Math.Round(8_842.30m * 4_500 / 9_700, 0), Math.Round(after.RevenueRecognised_eur, 0)); // 4,102, as IFRS 15.IE269 with 97 %
        Assert.Equal(5_500, after.UnitsOutstanding);
    }

    [Theory, StorageProviders]
    public async Task Importing_a_csv_twice_records_each_purchase_once(string provider)
    {
        await using var h = await LoyaltyHarness.StartAsync(provider);
        var (shop, member) = await LedgerTests.ShopWithMemberAsync(h);
        const string csv = "date,amount_eur,member,category,ref\n2026-01-05,80.00,alice@example.org,pain,T1\n2026-01-06,12.50,,pain,T2\n2026-01-07,not-money,,,T3\n";
        var first = (await h.Get<PurchaseImport>().ImportAsync(shop.MerchantId, new StringReader(csv), Ct)).Value;
        Assert.Equal(3, first.Rows);
        Assert.Equal(2, first.Recorded);
        Assert.Contains(first.Errors, e => e.StartsWith("line 4: amount_eur", StringComparison.Ordinal));
        var second = (await h.Get<PurchaseImport>().ImportAsync(shop.MerchantId, new StringReader(csv), Ct)).Value;
        Assert.Equal(0, second.Recorded);
        Assert.Equal(2, second.Replayed);
        Assert.Equal(550, (await h.Members.CardAsync(shop.MerchantId, member.MemberId, Ct))!.Balance);
    }
}
