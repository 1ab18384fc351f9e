using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Socle.Modules.Loyalty.Ledger;
using Socle.Modules.Loyalty.Members;
using Socle.Modules.Loyalty.Programs;
using Socle.Modules.Loyalty.Rules;
using Socle.Platform.Hosting;

namespace Socle.Modules.Loyalty.Demo;

/// <summary>
/// A bakery with the brief's banded points (5 per euro up to 50 €, 10 per euro above), a Tuesday-afternoon ×2 boost, two
/// tiers and three rewards, a handful of members and a few months of purchases (fixed seed), so a newcomer sees a working
/// programme. The owner's key is written to data/loyalty-demo-key.txt (next to the database) to sign in.
/// </summary>
public sealed class LoyaltyDemoData : IDemoData
{
    public string Module => "loyalty";

    public static ProgrammeDefinition BakeryProgramme => new()
    {
        Kind = ProgrammeKind.Points,
        Bands = [new Band(50, 5), new Band(null, 10)],
        Multipliers = [new LineMultiplier("viennoiseries-x2", "viennoiseries", null, 2, 10, true)],
        Boosts = [new Boost("mardi-x2", "Mardi après-midi ×2", 2, new DateTime(2026, 1, 6, 14, 0, 0), "PT4H", "FREQ=WEEKLY;BYDAY=TU", CapPerMember: 500, CapPeriod: CapPeriod.Month, Budget: 100_000)],
        Tiers = new TierSettings(365, [new TierLevel("Argent", 2_000, 1.1m, "Café offert le samedi"), new TierLevel("Or", 6_000, 1.25m, "Une viennoiserie par semaine")], DowngradePolicy.OneDown, 30),
        Surprises = new SurpriseSettings(BirthdayPoints: 200, AnniversaryPoints: 100, NthVisit: 100, NthVisitPoints: 1_000, WinBackAfterDays: 45, WinBackOffer: "Une baguette offerte pour votre retour !"),
        Referral = new ReferralSettings(ReferrerPoints: 300, FriendPoints: 150),
        ExpiryDays = 365,
        ValuePerUnit_eur = 0.01m,
        ExpectedRedemptionRate = 0.85m,
        MinSecondsBetweenEarnings = 60,
    };

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var merchants = services.GetRequiredService<Merchants>();
        var members = services.GetRequiredService<Members.Members>();
        var writer = services.GetRequiredService<PurchaseWriter>();
        var time = services.GetRequiredService<TimeProvider>();
        var created = await merchants.SetUpAsync(new SetUpShop("Boulangerie du Marché (démo)", "Place du Marché", "Claire", "Points gourmands", BakeryProgramme,
            "Croissant offert", 500, 120), ct);
        var shop = created.Value;
        await merchants.AddRewardAsync(shop.MerchantId, "Baguette tradition offerte", "free_item", 800, 130, 30, ct);
        await merchants.AddRewardAsync(shop.MerchantId, "5 € de remise", "discount", 2_500, 500, 60, ct);
        var db = services.GetRequiredService<Platform.Storage.Database>();
        var folder = db.IsPostgres ? "data" : Path.GetDirectoryName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.ConnectionString).DataSource) ?? "data";
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "loyalty-demo-key.txt"),
            $"owner key: {shop.OwnerKey}\njoin page: /loyalty/join/{shop.JoinCode}\n", ct);

        var random = new Random(7);
        string[] names = ["Amélie", "Bruno", "Chloé", "David", "Élise", "Farid", "Gaëlle", "Hugo", "Inès", "Jules", "Karim", "Léa", "Manon", "Nabil",
            "Océane", "Pierre", "Quentin", "Rose", "Samir", "Théo", "Ursule", "Victor", "Wassila", "Xavier", "Yasmine", "Zoé", "Arthur", "Bérénice",
            "Camille", "Dylan", "Emma", "Fabien", "Gabriel", "Hélène", "Irène", "Jade"];
        var now = time.GetUtcNow();
        var redeemers = new List<string>();
        foreach (var (name, i) in names.Select((n, i) => (n, i)))
        {
            var joined = await members.JoinAsync(new JoinRequest(shop.JoinCode, name, null, i % 3 == 0 ? 1 + i % 28 : null, i % 3 == 0 ? 1 + i % 12 : null, true, i % 2 == 0, i % 4 == 0), ct);
            var memberId = joined.Value.MemberId;
            // members joined over the last six months (demo only: the join date is set back so the cohorts have a history)
            var joinedAt = now.AddDays(-(180 - 5 * i)).AddHours(-random.Next(8));
            await using (var c = await db.OpenAsync(ct))
            {
                await Dapper.SqlMapper.ExecuteAsync(c, "UPDATE loyalty_members SET joined_at = @t WHERE id = @memberId",
                    new { t = Platform.Storage.Sql.Time(joinedAt), memberId });
            }
            var days = Math.Max(1, (int)(now - joinedAt).TotalDays);
            var visits = 1 + random.Next(i % 5 == 0 ? 2 : 14);
            for (var v = 0; v < visits; v++)
            {
                var at = joinedAt.AddDays(random.Next(0, days)).AddMinutes(random.Next(600));
                var amount = Math.Round((decimal)(3 + random.NextDouble() * 40), 2);
                var lines = new List<BasketLine> { new("baguette", "pain", 1, Math.Round(amount * 0.4m, 2)), new("croissant", "viennoiseries", 2, Math.Round(amount * 0.6m, 2)) };
                await writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, $"demo-{i}-{v}", (long)(amount * 100), memberId, Lines: lines, OccurredAt: at, Source: "import"), ct);
            }
            if (i % 4 == 1)
            {
                redeemers.Add(memberId);
            }
        }
        var ledger = services.GetRequiredService<MemberLedger>();
        foreach (var memberId in redeemers)
        {
            await ledger.RedeemAsync(shop.MerchantId, memberId, shop.RewardId, "demo-redeem-" + memberId, ct);
        }
        for (var k = 0; k < 30; k++)
        {
            var amount = Math.Round((decimal)(2 + random.NextDouble() * 25), 2);
            await writer.SubmitAsync(new PurchaseCommand(shop.MerchantId, "demo-anon-" + k.ToString(CultureInfo.InvariantCulture), (long)(amount * 100),
                OccurredAt: now.AddDays(-random.Next(1, 150)), Source: "import"), ct);
        }
    }
}
