using Socle.Modules.Batteries.Demo;
using Socle.Modules.Batteries.Footprint;
using Socle.Modules.Batteries.Passports;

namespace Socle.Batteries.Tests.Footprint;

public class FootprintTests
{
    private static readonly FootprintOptions Options = new();

    private static FootprintRequest Simple(double total_kg, double energy_kwh = 75) => new()
    {
        RatedEnergy_kwh = energy_kwh,
        ServiceYears = 8,
        Materials = [new MaterialLine("everything", total_kg, 1)],
    };

    [Fact]
    public void The_research_worked_example_75_kwh_M1_8_years_70_kg_per_kwh_is_0_146_per_kwh_delivered()
    {
        // research/batteries.md §3.3: E_total = 75 × 60 × 8 = 36,000 kWh; 70 kg/kWh → 5,250 kg → 0.146 kg/kWh_FU
        var r = CarbonFootprint.Compute(Simple(5250) with { VehicleClass = "M1" }, Options).Value;
        Assert.Equal(36_000, r.FunctionalUnit_kwh);
        Assert.Equal(70, r.PerKwhCapacity_kgco2e, 9);
        Assert.Equal(0.146, Math.Round(r.PerKwhDelivered_kgco2e, 3));
        Assert.Equal(5250.0 / 36000, r.PerKwhDelivered_kgco2e, 12);
    }

    [Fact]
    public void The_brief_target_of_30_kg_per_kwh_is_0_0625_per_kwh_delivered_and_2_6_to_7_4_times_below_todays_batteries()
    {
        var target = CarbonFootprint.Compute(Simple(30 * 75), Options).Value;
        Assert.Equal(0.0625, target.PerKwhDelivered_kgco2e, 12);
        var low = CarbonFootprint.Compute(Simple(77 * 75), Options).Value;   // brief: 77–221 kg CO2e/kWh today (Carbone 4, 2023)
        var high = CarbonFootprint.Compute(Simple(221 * 75), Options).Value;
        Assert.Equal(77.0 / 30, low.PerKwhDelivered_kgco2e / target.PerKwhDelivered_kgco2e, 12);
        Assert.Equal(221.0 / 30, high.PerKwhDelivered_kgco2e / target.PerKwhDelivered_kgco2e, 12);
        Assert.Equal("A", target.PerformanceClass);
        Assert.Equal("D", low.PerformanceClass);     // 0.1604
        Assert.True(target.BelowThreshold);
        Assert.False(high.BelowThreshold);            // 0.4604 > 0.3
    }

    [Theory]
    // Hao et al. 2017, 28 kWh packs made in China (research/batteries.md §3.3)
    [InlineData(3061, 109.32)]  // LFP ≈ 110
    [InlineData(2912, 104.0)]   // NMC ≈ 104
    [InlineData(2705, 96.61)]   // LMO ≈ 97
    public void Published_pack_totals_per_kwh_of_capacity(double pack_kg, double perKwh)
    {
        var r = CarbonFootprint.Compute(Simple(pack_kg, 28), Options).Value;
        Assert.Equal(perKwh, Math.Round(r.PerKwhCapacity_kgco2e, 2));
    }

    [Theory]
    [InlineData("M1", 60)]
    [InlineData("N1", 60)]
    [InlineData("L", 20)]
    [InlineData("M3", 250)]
    [InlineData("N3", 250)]
    public void Cycles_per_year_follow_the_draft_act_by_vehicle_class(string vehicleClass, double cycles)
    {
        var r = CarbonFootprint.Compute(Simple(1000) with { VehicleClass = vehicleClass }, Options).Value;
        Assert.Equal(cycles, r.CyclesPerYear);
        Assert.Equal(75 * cycles * 8, r.FunctionalUnit_kwh);
    }

    [Fact]
    public void Lfp_against_nmc_pack_mass_from_the_briefs_energy_densities()
    {
        // brief: 90–130 Wh/kg for LFP, 190–260 Wh/kg for NMC (CEA Liten, 2023)
        Assert.Equal(666.67, Math.Round(CarbonFootprint.PackMass_kg(60, 90), 2));
        Assert.Equal(461.54, Math.Round(CarbonFootprint.PackMass_kg(60, 130), 2));
        Assert.Equal(315.79, Math.Round(CarbonFootprint.PackMass_kg(60, 190), 2));
        Assert.Equal(230.77, Math.Round(CarbonFootprint.PackMass_kg(60, 260), 2));
        var lfp = CarbonFootprint.Compute(SampleFootprints.Load(SampleFootprints.Lfp), Options).Value;
        Assert.Equal(545.4545, Math.Round(lfp.BatteryMass_kg, 4));
        // transport scales with mass: 0.5454545 t × 1800 km × 0.1 kg/t·km
        Assert.Equal(98.181818, Math.Round(lfp.Stages.Single(s => s.Stage == "distribution").Emissions_kgco2e, 6));
    }

    [Fact]
    public void The_example_bill_of_materials_reproduces_the_nmc_passports_declared_footprint_stage_by_stage()
    {
        var r = CarbonFootprint.Compute(SampleFootprints.Load(SampleFootprints.Nmc811), Options).Value;
        // by hand: raw 105×22 + 75×5.6 + 30×4 + 108×4.5 + 19.2×5 + 20×3.5 + 10×2.3 + 3×15 = 3570
        //          production 50×75 kWh × 56 g + 4500×0.2 + 255 = 210 + 900 + 255 = 1365
        //          distribution 0.375 t × 2800 km × 0.1 = 105; end of life 375 × 0.56 = 210
        Assert.Equal([3570, 1365, 105, 210], r.Stages.Select(s => Math.Round(s.Emissions_kgco2e, 9)));
        Assert.Equal(5250, r.Total_kgco2e, 9);
        var passport = SamplePassports.Load(SamplePassports.EvNmc811);
        var declared = PassportContent.ToElement(passport);
        Assert.Equal(PassportContent.Number(declared, "carbonFootprint.batteryCarbonFootprint")!.Value, Math.Round(r.PerKwhDelivered_kgco2e, 6));
        Assert.Equal(PassportContent.Number(declared, "carbonFootprint.absoluteCarbonFootprint")!.Value, r.Total_kgco2e, 9);
        Assert.Equal(PassportContent.Text(declared, "carbonFootprint.carbonFootprintPerformanceClass"), r.PerformanceClass);
        var stages = PassportContent.At(declared, "carbonFootprint.carbonFootprintPerLifecycleStage")!.Value.EnumerateArray().ToList();
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(stages[i].GetProperty("lifecycleStage").GetString(), r.Stages[i].LifecycleStage);
            Assert.Equal(stages[i].GetProperty("carbonFootprint").GetDouble(), Math.Round(r.Stages[i].PerKwhDelivered_kgco2e, 6));
        }
    }

    [Fact]
    public void Making_the_cells_on_the_german_grid_instead_of_the_french_one_adds_3750_kwh_times_the_intensity_gap()
    {
        var fr = CarbonFootprint.Compute(SampleFootprints.Load(SampleFootprints.Nmc811), Options).Value;
        var de = CarbonFootprint.Compute(SampleFootprints.Load(SampleFootprints.Nmc811) with { ElectricityCountry = "DE" }, Options).Value;
        Assert.Equal(3750 * (381 - 56) / 1000.0, de.Total_kgco2e - fr.Total_kgco2e, 9); // 1,218.75 kg
        Assert.Equal(56, fr.ElectricityFactor_gco2e_per_kwh);
        Assert.Equal(381, de.ElectricityFactor_gco2e_per_kwh);
        Assert.Contains("Ember", de.ElectricitySource);
    }

    [Fact]
    public void Transport_by_vehicle_share_follows_the_battery_pass_rules()
    {
        // CF rules 2023: a 0.5 t load on a 22 t payload carries 0.5/22 of the truck; 22 t out and 11 t back is 75 % utilisation
        Assert.Equal(0.75, CarbonFootprint.Utilisation(22, 11, 22), 12);
        var r = CarbonFootprint.Compute(Simple(0) with
        {
            Distribution = [new TransportLeg("truck", 100, Cargo_t: 0.5, Vehicle_kgco2e_per_km: 1.1, Payload_t: 22, Utilisation: 1)],
        }, Options).Value;
        Assert.Equal(1.1 * 100 * 0.5 / 22, r.Total_kgco2e, 12);
        var defaultUtilisation = CarbonFootprint.Compute(Simple(0) with
        {
            Distribution = [new TransportLeg("truck", 100, Cargo_t: 0.5, Vehicle_kgco2e_per_km: 1.1, Payload_t: 22)],
        }, Options).Value;
        Assert.Equal(1.1 * 100 * 0.5 / (22 * 0.64), defaultUtilisation.Total_kgco2e, 12);
    }

    [Fact]
    public void Classes_and_threshold_come_from_configuration_or_the_request()
    {
        var r = CarbonFootprint.Compute(Simple(5250) with { ClassBoundaries = "A:0.1,B:0.2", MaximumThreshold_kgco2e_per_kwh = 0.1 }, Options).Value;
        Assert.Equal("B", r.PerformanceClass);
        Assert.False(r.BelowThreshold);
        Assert.Equal("C", CarbonFootprint.ClassOf(0.25, CarbonFootprint.ParseClasses("A:0.1,B:0.2", out _)!));
        Assert.Null(CarbonFootprint.ParseClasses("A:0.2,B:0.1", out var problem));
        Assert.Contains("must increase", problem);
    }

    [Fact]
    public void Bad_requests_name_every_field_at_fault()
    {
        var error = CarbonFootprint.Compute(new FootprintRequest
        {
            Category = "car",
            RatedEnergy_kwh = -1,
            Materials = [new MaterialLine("", -2, 1)],
            ProductionElectricity_kwh = 100,
            Distribution = [new TransportLeg("leg", 10)],
        }, Options).Error!;
        Assert.Equal(
            ["category", "ratedEnergy_kwh", "cyclesPerYear", "serviceYears", "materials[0].name", "materials[0].mass_kg", "electricityCountry", "distribution[0]", "distribution[0].cargo_t"],
            error.Fields!.Keys);
        var stationary = CarbonFootprint.Compute(new FootprintRequest { Category = "stationary", RatedEnergy_kwh = 280, ServiceYears = 15 }, Options).Error!;
        Assert.Contains("cyclesPerYear", stationary.Fields!.Keys);
    }
}
