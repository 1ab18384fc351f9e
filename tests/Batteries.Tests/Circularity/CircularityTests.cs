using Socle.Modules.Batteries.Circularity;
using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Passports;

namespace Socle.Batteries.Tests.Circularity;

public class CircularityTests
{
    private static readonly string[] Nmc = ["Nickel", "Cobalt", "Lithium"];

    private static Dictionary<string, double> Shares(double co, double li, double ni) => new() { ["Cobalt"] = co, ["Lithium"] = li, ["Nickel"] = ni };

    [Theory]
    // Art. 8(2): from 18 Aug 2031 Co 16, Pb 85, Li 6, Ni 6; Art. 8(3): from 18 Aug 2036 Co 26, Pb 85, Li 12, Ni 15
    [InlineData("2031-08-17", "Cobalt", null)]
    [InlineData("2031-08-18", "Cobalt", 16.0)]
    [InlineData("2031-08-18", "Lithium", 6.0)]
    [InlineData("2031-08-18", "Nickel", 6.0)]
    [InlineData("2031-08-18", "Lead", 85.0)]
    [InlineData("2036-08-17", "Cobalt", 16.0)]
    [InlineData("2036-08-18", "Cobalt", 26.0)]
    [InlineData("2036-08-18", "Lithium", 12.0)]
    [InlineData("2036-08-18", "Nickel", 15.0)]
    [InlineData("2040-01-01", "Lead", 85.0)]
    public void Recycled_content_minimums_by_date(string date, string metal, double? minimum)
    {
        Assert.Equal(minimum, Targets.InForce(Targets.RecycledContent, metal, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture))?.Minimum_pct);
    }

    [Fact]
    public void The_nmc_passport_meets_2031_exactly_on_cobalt_and_fails_2036()
    {
        var content = PassportContent.ToElement(SamplePassports.Load(SamplePassports.EvNmc811));
        var at2031 = RecycledContent.CheckPassport(content, new DateOnly(2031, 8, 18));
        Assert.Equal("pass", at2031.Outcome);
        Assert.Equal([("Cobalt", 16.0, 16.0, "pass"), ("Lead", (double?)null, (double?)null, "not-applicable"), ("Lithium", 6.0, 6.0, "pass"), ("Nickel", 7.0, 6.0, "pass")],
            at2031.Metals.Select(m => (m.Subject, m.Actual_pct, m.Minimum_pct, m.Outcome)).Select(t => (t.Subject, t.Actual_pct, t.Minimum_pct, t.Outcome)).ToList());
        var at2036 = RecycledContent.CheckPassport(content, new DateOnly(2036, 8, 18));
        Assert.Equal("fail", at2036.Outcome);
        Assert.Equal(["fail", "not-applicable", "fail", "fail"], at2036.Metals.Select(m => m.Outcome));
        var before = RecycledContent.CheckPassport(content, new DateOnly(2030, 1, 1));
        Assert.Equal("no-target", before.Outcome);
    }

    [Fact]
    public void The_lfp_passport_has_no_cobalt_or_nickel_minimum_and_fails_lithium_in_2031()
    {
        var content = PassportContent.ToElement(SamplePassports.Load(SamplePassports.EvLfp));
        var r = RecycledContent.CheckPassport(content, new DateOnly(2032, 1, 1));
        Assert.Equal(["not-applicable", "not-applicable", "fail", "not-applicable"], r.Metals.Select(m => m.Outcome));
        Assert.Equal(4, r.Metals.Single(m => m.Subject == "Lithium").Actual_pct);
    }

    [Fact]
    public void A_metal_present_without_a_declared_share_counts_as_zero_and_lmt_batteries_are_not_covered()
    {
        var missing = RecycledContent.Check("ev", Nmc, new Dictionary<string, double> { ["Cobalt"] = 20, ["Lithium"] = 8 }, new DateOnly(2032, 1, 1));
        Assert.Equal(0, missing.Metals.Single(m => m.Subject == "Nickel").Actual_pct);
        Assert.Equal("fail", missing.Outcome);
        var lmt = RecycledContent.Check("lmt", Nmc, Shares(0, 0, 0), new DateOnly(2032, 1, 1));
        Assert.False(lmt.Covered);
        Assert.Equal("no-target", lmt.Outcome);
        var pass = RecycledContent.Check("industrial", Nmc, Shares(26, 12, 15), new DateOnly(2036, 8, 18));
        Assert.Equal("pass", pass.Outcome);
    }

    [Theory]
    // Annex XII Part B (and Directive 2006/66/EC Annex III Part B before 31 Dec 2025)
    [InlineData("lithium", "2025-12-30", 50.0)]
    [InlineData("lithium", "2025-12-31", 65.0)]
    [InlineData("lithium", "2030-12-31", 70.0)]
    [InlineData("lead-acid", "2025-12-31", 75.0)]
    [InlineData("lead-acid", "2030-12-31", 80.0)]
    [InlineData("nickel-cadmium", "2026-06-01", 80.0)]
    [InlineData("other", "2031-06-01", 50.0)]
    public void Recycling_efficiency_targets_by_date(string type, string date, double minimum)
    {
        Assert.Equal(minimum, Targets.InForce(Targets.RecyclingEfficiency, type, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture))!.Minimum_pct);
    }

    [Theory]
    // Annex XII Part C: 31 Dec 2027 Co/Cu/Pb/Ni 90, Li 50; 31 Dec 2031 Co/Cu/Pb/Ni 95, Li 80
    [InlineData("Cobalt", "2027-12-30", null)]
    [InlineData("Cobalt", "2027-12-31", 90.0)]
    [InlineData("Copper", "2028-06-30", 90.0)]
    [InlineData("Lithium", "2027-12-31", 50.0)]
    [InlineData("Lithium", "2031-12-31", 80.0)]
    [InlineData("Nickel", "2031-12-31", 95.0)]
    [InlineData("Lead", "2031-12-31", 95.0)]
    public void Material_recovery_targets_by_date(string metal, string date, double? minimum)
    {
        Assert.Equal(minimum, Targets.InForce(Targets.MaterialRecovery, metal, DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture))?.Minimum_pct);
    }

    private static RecyclingReport Report(int year, double output_kg, params MetalRecovery[] metals) => new()
    {
        PeriodStart = new DateOnly(year, 1, 1),
        PeriodEnd = new DateOnly(year, 12, 31),
        BatteryType = "lithium",
        Input_kg = 1_000_000,
        RecycledOutput_kg = output_kg,
        Metals = metals,
    };

    [Fact]
    public void A_recyclers_2027_report_passes_what_fails_in_2031()
    {
        // 1,000 t of lithium-ion batteries in: 720 t counted as recycled → 72 % (≥ 65 % in 2027, ≥ 70 % in 2031)
        // cobalt 18 t in, 16.6 t out → 92.2 % (≥ 90 % in 2027, < 95 % in 2031); lithium 20 t in, 11 t out → 55 % (≥ 50 %, < 80 %)
        var report = Report(2027, 720_000, new MetalRecovery("Cobalt", 18_000, 16_600), new MetalRecovery("Lithium", 20_000, 11_000), new MetalRecovery("Copper", 60_000, 57_900));
        var in2027 = Recycling.Check(report);
        Assert.Equal(72, in2027.Efficiency_pct, 12);
        Assert.Equal("pass", in2027.Outcome);
        Assert.Equal([92.222222, 55.0, 96.5], in2027.Recovery.Select(r => Math.Round(r.Actual_pct!.Value, 6)));
        var in2031 = Recycling.Check(report, new DateOnly(2031, 12, 31));
        Assert.Equal("fail", in2031.Outcome);
        Assert.Equal(["fail", "fail", "pass"], in2031.Recovery.Select(r => r.Outcome));
        Assert.Equal("pass", in2031.EfficiencyCheck.Outcome);
        var in2025 = Recycling.Check(report with { RecycledOutput_kg = 600_000 }, new DateOnly(2025, 12, 31));
        Assert.Equal("fail", in2025.EfficiencyCheck.Outcome); // 60 % < 65 %
        Assert.Equal("no-target", in2025.Recovery[0].Outcome); // recovery targets start at the end of 2027
    }

    [Fact]
    public void A_report_with_impossible_figures_is_refused_field_by_field()
    {
        var error = (Report(2028, 2_000_000, new MetalRecovery("Cobalt", 10, 11), new MetalRecovery("Zinc", 5, 1)) with { BatteryType = "alkaline" }).Problems()!;
        Assert.Equal(["batteryType", "recycledOutput_kg", "metals[0].recovered_kg", "metals[1].metal"], error.Fields!.Keys);
    }
}
