using Socle.Modules.Loyalty.Programs;
using Socle.Modules.Loyalty.Rules;

namespace Socle.Loyalty.Tests;

public class EarningRulesTests
{
    private static readonly DateTimeOffset Monday = new(2026, 3, 9, 10, 0, 0, TimeSpan.Zero);

    private static ProgrammeDefinition Brief => new() { Bands = [new Band(50, 5), new Band(null, 10)] };

    private static long Points(ProgrammeDefinition p, decimal amount, IReadOnlyList<BasketLine>? lines = null, DateTimeOffset? at = null, EarningContext? context = null) =>
        PointsCalculator.Calculate(p, amount, lines ?? [], at ?? Monday, context ?? EarningContext.None).Units;

    [Theory]
    [InlineData(80, 550)]     // the brief: 50 × 5 + 30 × 10
    [InlineData(50, 250)]     // exactly at the band limit
    [InlineData(50.01, 250)]  // 250.1 points: the fraction is dropped
    [InlineData(12.99, 64)]   // 64.95 → 64
    [InlineData(0, 0)]
    [InlineData(100, 750)]
    public void The_brief_s_bands_earn_5_points_per_euro_up_to_50_then_10(decimal amount, long expected) =>
        Assert.Equal(expected, Points(Brief, amount));

    [Fact]
    public void Square_s_published_rounding_examples_hold()
    {
        // developer.squareup.com loyalty accrual: 1 point per 10 $ spent, 105 $ earns 10 (fractions dropped)
        Assert.Equal(10, Points(new ProgrammeDefinition { Bands = [new Band(null, 0.1m)] }, 105));
        // a POINTS_MULTIPLIER promotion of 1.5 on a 4-point purchase gives 6; a POINTS_ADDITION of 3 on 5 gives 8
        var always = new DateTime(2026, 1, 1);
        var multiplier = new ProgrammeDefinition { Bands = [new Band(null, 1)], Boosts = [new Boost("x1.5", "x1.5", 1.5m, always, "P3650D")] };
        Assert.Equal(6, Points(multiplier, 4));
        var addition = new ProgrammeDefinition { Bands = [new Band(null, 1)], Boosts = [new Boost("plus3", "+3", 1, always, "P3650D", AddPoints: 3)] };
        Assert.Equal(8, Points(addition, 5));
    }

    [Theory]
    [InlineData(PointsRounding.Down, 64)]
    [InlineData(PointsRounding.Nearest, 65)]
    [InlineData(PointsRounding.Up, 65)]
    public void Rounding_applies_once_on_the_exact_total(PointsRounding rounding, long expected) =>
        Assert.Equal(expected, Points(Brief with { Rounding = rounding }, 12.99m));

    [Fact]
    public void Under_the_minimum_spend_nothing_is_earned()
    {
        var p = Brief with { MinimumSpend_eur = 5 };
        var e = PointsCalculator.Calculate(p, 4.99m, [], Monday, EarningContext.None);
        Assert.Equal(0, e.Units);
        Assert.Contains("minimum spend", e.Note);
        Assert.Equal(25, Points(p, 5));
    }

    [Fact]
    public void A_category_multiplier_applies_to_its_share_of_the_base()
    {
        var p = Brief with { Multipliers = [new LineMultiplier("pastry", "viennoiseries", null, 2)] };
        // 80 € earn 550 base; the pastries are 20 € of 80 € → share 137.5, doubled: +137.5 → 687.5 → 687
        var lines = new[] { new BasketLine("baguette", "pain", 10, 60), new BasketLine("croissant", "viennoiseries", 10, 20) };
        Assert.Equal(687, Points(p, 80, lines));
    }

    [Fact]
    public void Stackable_multipliers_add_their_extras_and_a_non_stackable_one_applies_only_alone()
    {
        var line = new[] { new BasketLine("croissant", "viennoiseries", 1, 10) };
        var stacking = Brief with
        {
            Multipliers = [new LineMultiplier("cat", "viennoiseries", null, 2, 10), new LineMultiplier("prod", null, "croissant", 1.5m, 20)],
        };
        Assert.Equal(125, Points(stacking, 10, line)); // 50 × (1 + 1 + 0.5)

        var exclusiveFirst = Brief with
        {
            Multipliers = [new LineMultiplier("prod", null, "croissant", 1.5m, 20), new LineMultiplier("excl", "viennoiseries", null, 3, 5, Stackable: false)],
        };
        Assert.Equal(150, Points(exclusiveFirst, 10, line)); // priority 5 comes first, applies alone: 50 × 3

        var exclusiveLater = Brief with
        {
            Multipliers = [new LineMultiplier("excl", "viennoiseries", null, 3, 30, Stackable: false), new LineMultiplier("prod", null, "croissant", 1.5m, 20)],
        };
        Assert.Equal(75, Points(exclusiveLater, 10, line)); // ×1.5 applied first, the exclusive ×3 is skipped
    }

    [Fact]
    public void Equal_priorities_are_ordered_by_id_not_by_the_order_they_were_edited()
    {
        var line = new[] { new BasketLine("croissant", "viennoiseries", 1, 10) };
        LineMultiplier a = new("a-double", "viennoiseries", null, 2, 10, Stackable: false), b = new("b-triple", null, "croissant", 3, 10, Stackable: false);
        Assert.Equal(100, Points(Brief with { Multipliers = [a, b] }, 10, line));
        Assert.Equal(100, Points(Brief with { Multipliers = [b, a] }, 10, line));
    }

    [Fact]
    public void A_recurring_boost_doubles_points_only_inside_its_window_in_Paris_time()
    {
        // every Tuesday 16:00–18:00 Paris time, from 6 January 2026
        var p = Brief with { Boosts = [new Boost("tue", "Mardi x2", 2, new DateTime(2026, 1, 6, 16, 0, 0), "PT2H", "FREQ=WEEKLY;BYDAY=TU")] };
        var tuesdayWinter = new DateTimeOffset(2026, 3, 10, 15, 30, 0, TimeSpan.Zero); // 16:30 in Paris (UTC+1)
        var tuesdaySummer = new DateTimeOffset(2026, 6, 9, 14, 30, 0, TimeSpan.Zero);  // 16:30 in Paris (UTC+2)
        var tuesdayLate = new DateTimeOffset(2026, 6, 9, 16, 30, 0, TimeSpan.Zero);    // 18:30 in Paris
        Assert.Equal(1100, Points(p, 80, at: tuesdayWinter));
        Assert.Equal(1100, Points(p, 80, at: tuesdaySummer));
        Assert.Equal(550, Points(p, 80, at: tuesdayLate));
        Assert.Equal(550, Points(p, 80, at: Monday));
    }

    [Fact]
    public void A_boost_s_extra_is_cut_to_the_room_left_under_its_cap_and_budget()
    {
        var p = Brief with { Boosts = [new Boost("x3", "x3", 3, new DateTime(2026, 1, 1), "P365D", CapPerMember: 200, CapPeriod: CapPeriod.Month)] };
        var e = PointsCalculator.Calculate(p, 80, [], Monday, new EarningContext(1, new Dictionary<string, long> { ["x3"] = 120 }));
        Assert.Equal(670, e.Units); // 550 + min(1100, 120)
        Assert.Equal(120, e.BoostExtra["x3"]);
        var spent = PointsCalculator.Calculate(p, 80, [], Monday, new EarningContext(1, new Dictionary<string, long> { ["x3"] = 0 }));
        Assert.Equal(550, spent.Units);
    }

    [Fact]
    public void The_tier_multiplier_stacks_on_base_and_line_extras()
    {
        Assert.Equal(687, Points(Brief, 80, context: new EarningContext(1.25m))); // 550 × 1.25 = 687.5
    }

    [Fact]
    public void Stamp_item_spend_and_cashback_programmes_accrue_their_own_units()
    {
        var lines = new[] { new BasketLine("café", "boissons", 2, 4), new BasketLine("cookie", "biscuits", 3, 6) };
        Assert.Equal(1, Points(new ProgrammeDefinition { Kind = ProgrammeKind.Visits, MinimumSpend_eur = 3 }, 10, lines));
        Assert.Equal(0, Points(new ProgrammeDefinition { Kind = ProgrammeKind.Visits, MinimumSpend_eur = 3 }, 2.5m));
        Assert.Equal(5, Points(new ProgrammeDefinition { Kind = ProgrammeKind.Items }, 10, lines));
        Assert.Equal(2, Points(new ProgrammeDefinition { Kind = ProgrammeKind.Items, ItemCategory = "boissons" }, 10, lines));
        Assert.Equal(10, Points(new ProgrammeDefinition { Kind = ProgrammeKind.Spend }, 10.99m));
        Assert.Equal(54, Points(new ProgrammeDefinition { Kind = ProgrammeKind.Cashback, CashbackPercent = 5 }, 10.99m)); // 5 % of 10.99 € = 54.95 cents
        Assert.Equal(0, Points(new ProgrammeDefinition { Kind = ProgrammeKind.Discount, DiscountPercent = 10 }, 10));
    }

    [Fact]
    public void A_wrong_programme_is_refused_naming_each_field()
    {
        var bad = new ProgrammeDefinition
        {
            Bands = [new Band(null, 5), new Band(50, 10)],
            Boosts = [new Boost("b", "b", 20, new DateTime(2026, 1, 1), "two hours", "FREQ=HOURLY")],
            ExpectedRedemptionRate = 1.5m,
        };
        var error = bad.Validate().Error!;
        Assert.Contains("bands[0].up_to_eur", error.Fields!.Keys);
        Assert.Contains("boosts[0].factor", error.Fields.Keys);
        Assert.Contains("boosts[0].duration", error.Fields.Keys);
        Assert.Contains("expected_redemption_rate", error.Fields.Keys);
        var rrule = (Brief with { Boosts = [new Boost("b", "b", 2, new DateTime(2026, 1, 1), "PT1H", "FREQ=HOURLY")] }).Validate().Error!;
        Assert.Equal("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY", rrule.Fields!["boosts[0].rrule"][0]);
    }

    [Fact]
    public void The_definition_round_trips_through_its_json()
    {
        var json = Socle.Modules.Loyalty.Demo.LoyaltyDemoData.BakeryProgramme.ToJson();
        var back = ProgrammeDefinition.Parse(json).Value;
        Assert.Equal(json, back.ToJson());
        Assert.Contains("\"up_to_eur\":50", json);
    }
}
