using Socle.Modules.Batteries.ValueChain;

namespace Socle.Batteries.Tests.ValueChain;

public class PlannerTests
{
    /// <summary>One chemistry, one cohort: easy to compute by hand.</summary>
    private static Scenario OneCohort() => new()
    {
        Name = "one cohort",
        StartYear = 2025,
        EndYear = 2050,
        EvSales_millions = [new(2025, 1), new(2026, 0)],
        PackSize_kwh = [new(2025, 10)],
        AnnouncedCapacity_gwh = [new(2025, 100)],
        ChemistryMix = new Dictionary<string, IReadOnlyList<Anchor>> { ["NMC811"] = [new(2025, 1)] },
        Intensities = [new ChemistryIntensity("NMC811", 0.10, 0.75, 0.09, 0.09, 1.0)],
        SecondLifeShare = [new(2000, 0.5)],
        CollectionRate = [new(2000, 1)],
        ManufacturingScrap = 0,
        Recovery = new Dictionary<string, IReadOnlyList<Anchor>> { ["lithium"] = [new(2000, 0.8)], ["nickel"] = [new(2000, 0.95)] },
    };

    [Fact]
    public void Interpolation_is_linear_between_anchors_and_flat_outside()
    {
        IReadOnlyList<Anchor> a = [new(2030, 100), new(2025, 50)];
        Assert.Equal(50, Planner.Interpolate(a, 2020));
        Assert.Equal(60, Planner.Interpolate(a, 2026), 12);
        Assert.Equal(100, Planner.Interpolate(a, 2045));
    }

    [Fact]
    public void One_cohort_of_10_gwh_needs_1000_t_of_lithium_and_comes_back_half_after_10_and_half_after_20_years()
    {
        var plan = Planner.Run(OneCohort()).Value;
        var y2025 = plan.Years.Single(y => y.Year == 2025);
        Assert.Equal(10, y2025.Demand_gwh, 12);                                              // 1 million × 10 kWh
        Assert.Equal(1000, y2025.Materials.Single(m => m.Material == "lithium").Demand_t, 9);  // 10 GWh × 0.10 kg/kWh
        Assert.Equal(7500, y2025.Materials.Single(m => m.Material == "nickel").Demand_t, 9);
        Assert.Equal(55_000, y2025.Materials.Single(m => m.Material == "copper").Demand_t, 9); // 1 million × 55 kg
        Assert.Equal(35_000, y2025.AdditionalCopperVsIce_t, 9);                               // (55 − 20) kg each

        var y2035 = plan.Years.Single(y => y.Year == 2035);
        Assert.Equal(10, y2035.EndOfFirstLife_gwh, 12);
        Assert.Equal(5, y2035.IntoSecondLife_gwh, 12);
        Assert.Equal(5, y2035.Recycled_gwh, 12);
        Assert.Equal(500 * 0.8, y2035.Materials.Single(m => m.Material == "lithium").RecycledSupply_t, 9);   // 5 GWh × 0.1 × 80 %
        Assert.Equal(3750 * 0.95, y2035.Materials.Single(m => m.Material == "nickel").RecycledSupply_t, 9);
        Assert.Equal(5, plan.Years.Single(y => y.Year == 2040).InSecondLife_gwh, 12);
        Assert.Equal(5, plan.Years.Single(y => y.Year == 2045).Recycled_gwh, 12);             // second life ends 20 years after sale
        Assert.Equal(0, plan.Years.Single(y => y.Year == 2046).Recycled_gwh, 12);
        Assert.Equal(0, plan.Years.Where(y => y.Year is > 2035 and < 2045).Sum(y => y.Recycled_gwh), 12);
    }

    [Fact]
    public void Recovery_follows_annex_XII_part_C_when_the_scenario_does_not_say()
    {
        var s = OneCohort() with { Recovery = new Dictionary<string, IReadOnlyList<Anchor>>() };
        Assert.Equal(0.5, Planner.RecoveryRate(s, "lithium", 2026));  // before the first target: the first target (assumed met)
        Assert.Equal(0.5, Planner.RecoveryRate(s, "lithium", 2030));  // 50 % from 31 Dec 2027
        Assert.Equal(0.8, Planner.RecoveryRate(s, "lithium", 2031));  // 80 % from 31 Dec 2031
        Assert.Equal(0.95, Planner.RecoveryRate(s, "cobalt", 2040));
        Assert.Equal(0.9, Planner.RecoveryRate(s, "copper", 2028));
        Assert.Equal(0, Planner.RecoveryRate(s, "graphite", 2040));
    }

    [Fact]
    public void The_brief_2030_demand_of_1000_gwh_meets_1450_gwh_announced_or_725_if_halved()
    {
        var announced = Planner.Run(BuiltInScenarios.Load(BuiltInScenarios.Announced)).Value.Years.Single(y => y.Year == 2030);
        var halved = Planner.Run(BuiltInScenarios.Load(BuiltInScenarios.Halved)).Value.Years.Single(y => y.Year == 2030);
        Assert.Equal(1000, announced.Demand_gwh, 9);          // 12 million × 70 kWh + 160 GWh
        Assert.Equal(1450, announced.Capacity_gwh, 9);
        Assert.Equal(0, announced.BatteryImports_gwh);
        Assert.Equal(450, announced.SpareCapacity_gwh, 9);
        Assert.Equal(725, halved.Capacity_gwh, 9);
        Assert.Equal(275, halved.BatteryImports_gwh, 9);
        // the same materials are needed whoever makes the cells
        Assert.Equal(announced.Materials.Single(m => m.Material == "lithium").Demand_t, halved.Materials.Single(m => m.Material == "lithium").Demand_t, 6);
    }

    [Fact]
    public void In_the_default_scenario_recycling_covers_a_growing_share_of_lithium_after_2035()
    {
        var plan = Planner.Run(BuiltInScenarios.Load(BuiltInScenarios.Announced)).Value;
        double Dependency(int year) => plan.Years.Single(y => y.Year == year).Materials.Single(m => m.Material == "lithium").ImportDependency_pct;
        Assert.True(Dependency(2030) > 90, $"2030: {Dependency(2030)}");
        Assert.True(Dependency(2045) < Dependency(2035), $"2035 {Dependency(2035)}, 2045 {Dependency(2045)}");
        Assert.Equal(26, plan.Years.Count);
        Assert.All(plan.Years, y => Assert.Equal(6, y.Materials.Count));
    }

    [Fact]
    public void A_bad_scenario_names_its_fields()
    {
        var error = Planner.Run(OneCohort() with
        {
            Name = "",
            EndYear = 2000,
            Realisation = [new(2030, 1.5)],
            ChemistryMix = new Dictionary<string, IReadOnlyList<Anchor>> { ["LFP"] = [new(2025, 1)] },
        }).Error!;
        Assert.Equal(["name", "endYear", "realisation[0].value", "chemistryMix.LFP"], error.Fields!.Keys);
    }
}
