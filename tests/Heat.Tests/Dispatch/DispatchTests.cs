using Socle.Modules.Heat.Dispatch;
using Socle.Modules.Heat.Scenarios;

namespace Socle.Heat.Tests.Dispatch;

/// <summary>The dispatch rules, on loads whose answer can be worked out by hand.</summary>
public class DispatchTests
{
    private static DispatchConditions Constant(double load_kw, int hours = 48, double outdoor = 5, double supply = 80, double ret = 50, double ghi = 0) =>
        new(Enumerable.Repeat(load_kw, hours).ToArray(), Enumerable.Repeat(outdoor, hours).ToArray(), Enumerable.Repeat(supply, hours).ToArray(),
            Enumerable.Repeat(ret, hours).ToArray(), Enumerable.Repeat(ghi, hours).ToArray());

    private static CompiledScenario Plant(ProductionUnit[] units, params StorageUnit[] storage) =>
        Builders.Compile(Builders.Street(units: units) with { Storage = storage });

    private static readonly ProductionUnit Wood = new() { Id = "wood", Name = "Wood", Type = UnitType.BiomassBoiler, Capacity_kw = 100, MinLoad = 0.4, Efficiency = 0.8 };
    private static readonly ProductionUnit Gas = new() { Id = "gas", Name = "Gas", Type = UnitType.GasBoiler, Capacity_kw = 500, Efficiency = 0.9 };

    [Fact]
    public void Renewables_run_first_and_gas_covers_the_rest()
    {
        var r = MeritOrderDispatch.Run(Plant([Gas, Wood]), Constant(150));
        Assert.Equal(100, r.Output_kw[1][0], 9); // wood, listed second, dispatched first
        Assert.Equal(50, r.Output_kw[0][0], 9);
        Assert.Equal(100 / 0.8, r.Fuel_kw[1][0], 9);
        Assert.Equal(50 / 0.9, r.Fuel_kw[0][0], 9);
        Assert.All(r.Unmet_kw, u => Assert.Equal(0, u));
    }

    [Fact]
    public void Below_its_minimum_load_a_unit_stays_off_when_nothing_can_store_the_surplus()
    {
        var r = MeritOrderDispatch.Run(Plant([Wood, Gas]), Constant(30)); // 30 kW < 40 kW minimum
        Assert.Equal(0, r.Output_kw[0][5]);
        Assert.Equal(30, r.Output_kw[1][5], 9);
    }

    [Fact]
    public void With_a_store_the_unit_runs_at_its_minimum_charges_and_the_store_then_displaces_gas()
    {
        var tank = new StorageUnit { Id = "tank", Name = "Tank", Capacity_kwh = 200, Power_kw = 100, LossPercentPerDay = 0 };
        var r = MeritOrderDispatch.Run(Plant([Wood, Gas], tank), Constant(30, hours: 24));
        // hour 0: wood starts (at least its 40 kW minimum) and, running, fills the tank with its spare 70 kW
        Assert.Equal(100, r.Output_kw[0][0], 9);
        Assert.Equal(70, r.StorageCharge_kw[0], 9);
        Assert.Equal(0, r.Output_kw[1][0], 9);
        // once the tank is full, wood's 30 kW share is below its minimum: it stops and the tank covers the load
        var full = Array.FindIndex(r.StorageContent_kwh, c => c >= 200 - 1e-9);
        Assert.Equal(0, r.Output_kw[0][full + 1]);
        Assert.Equal(30, r.StorageDischarge_kw[full + 1], 9);
        // energy balance every hour: output = load + charge − discharge
        for (var h = 0; h < 24; h++)
        {
            Assert.Equal(30 + r.StorageCharge_kw[h] - r.StorageDischarge_kw[h], r.Output_kw[0][h] + r.Output_kw[1][h], 9);
        }
        Assert.Equal(0, r.Output_kw[1].Sum(), 9); // gas never runs: wood and the tank cover 30 kW
    }

    [Fact]
    public void A_store_filled_by_wood_at_night_shaves_the_gas_peak_of_the_day()
    {
        var tank = new StorageUnit { Id = "tank", Name = "Tank", Capacity_kwh = 300, Power_kw = 100, LossPercentPerDay = 0 };
        var load = Enumerable.Range(0, 48).Select(h => h % 24 < 12 ? 60.0 : 160.0).ToArray();
        var c = new DispatchConditions(load, new double[48], Enumerable.Repeat(80.0, 48).ToArray(), Enumerable.Repeat(50.0, 48).ToArray(), new double[48]);
        var without = MeritOrderDispatch.Run(Plant([Wood, Gas]), c);
        var with = MeritOrderDispatch.Run(Plant([Wood, Gas], tank), c);
        // without the tank gas makes 60 kW × 12 h a day; with it, wood's 40 kW spare at night (480 kWh, 300 stored) displaces gas
        Assert.Equal(2 * 12 * 60, without.Output_kw[1].Sum(), 6);
        Assert.True(with.Output_kw[1].Sum() < without.Output_kw[1].Sum() - 400, $"gas with tank: {with.Output_kw[1].Sum()}");
        Assert.True(with.Output_kw[0].Sum() > without.Output_kw[0].Sum() + 400);
    }

    [Fact]
    public void Demand_above_every_unit_is_unmet_and_reported()
    {
        var r = MeritOrderDispatch.Run(Plant([Wood, Gas]), Constant(700, hours: 10));
        Assert.All(r.Unmet_kw, u => Assert.Equal(100, u, 9));
    }

    [Fact]
    public void A_unit_outside_its_months_is_unavailable()
    {
        var summerOff = Wood with { Months = [1, 2, 3, 10, 11, 12] };
        var hours = 8760;
        var r = MeritOrderDispatch.Run(Plant([summerOff, Gas]), Constant(80, hours));
        Assert.Equal(80, r.Output_kw[0][24 * 20], 9);      // January
        Assert.Equal(0, r.Output_kw[0][24 * 190]);         // July
        Assert.Equal(80, r.Output_kw[1][24 * 190], 9);
    }

    [Fact]
    public void Recovered_heat_is_taken_first_and_what_nobody_needs_is_dumped()
    {
        var waste = new ProductionUnit { Id = "waste", Name = "Waste heat", Type = UnitType.WasteHeat, Capacity_kw = 120, Origin = WasteHeatOrigin.Industry };
        var r = MeritOrderDispatch.Run(Plant([Gas, waste]), Constant(100, hours: 5));
        Assert.Equal(100, r.Output_kw[1][0], 9);
        Assert.Equal(20, r.Dumped_kw[1][0], 9);
        Assert.Equal(0, r.Output_kw[0][0]);
    }

    [Fact]
    public void Heat_pump_COP_follows_Carnot_and_the_when2heat_regression()
    {
        var carnot = new ProductionUnit { Type = UnitType.HeatPump, CarnotEfficiency = 0.5, Source = HeatPumpSource.Water, SourceTemperature_c = 10 };
        // COP = 0.5 × 343.15 / 60
        Assert.Equal(0.5 * 343.15 / 60, UnitPerformance.HeatPumpCop(carnot, 70, 10), 9);
        var ground = new ProductionUnit { Type = UnitType.HeatPump, CopLaw = CopLaw.When2Heat, Source = HeatPumpSource.Ground, SourceTemperature_c = 10 };
        // when2heat: (10.288 − 0.2084·40 + 0.0012·1600)·0.85 at ΔT = 40 K
        Assert.Equal((10.288 - 0.2084 * 40 + 0.0012 * 1600) * 0.85, UnitPerformance.HeatPumpCop(ground, 50, 10), 9);
        // lower supply temperature, better COP
        Assert.True(UnitPerformance.HeatPumpCop(ground, 60, 10) < UnitPerformance.HeatPumpCop(ground, 45, 10));
    }

    [Fact]
    public void Heat_pump_electricity_is_output_over_COP()
    {
        var hp = new ProductionUnit { Id = "hp", Name = "HP", Type = UnitType.HeatPump, Capacity_kw = 100, CarnotEfficiency = 0.5, Source = HeatPumpSource.Water, SourceTemperature_c = 10 };
        var r = MeritOrderDispatch.Run(Plant([hp, Gas]), Constant(80, hours: 3, supply: 70));
        Assert.Equal(80 / (0.5 * 343.15 / 60), r.Electricity_kw[0][1], 9);
    }

    [Fact]
    public void Solar_thermal_follows_the_collector_law()
    {
        var solar = new ProductionUnit { Id = "sun", Name = "Sun", Type = UnitType.SolarThermal, Capacity_kw = 1000, Area_m2 = 1000, Eta0 = 0.8, A1_w_per_m2_k = 4 };
        // 1000 m² × (0.8 × 800 − 4 × (65 − 25)) W/m² = 480 kW
        Assert.Equal(480, UnitPerformance.SolarOutput_kw(solar, 800, 25, 65), 9);
        Assert.Equal(0, UnitPerformance.SolarOutput_kw(solar, 100, 0, 65));
    }

    [Fact]
    public void Ice_storage_charges_off_peak_and_discharges_before_the_chillers_run()
    {
        var chiller = new ProductionUnit { Id = "chiller", Name = "Chiller", Type = UnitType.Chiller, Capacity_kw = 300, Eer = 4.5 };
        var ice = new StorageUnit { Id = "ice", Name = "Ice", Type = StorageType.Ice, Capacity_kwh = 1000, Power_kw = 200, ChargeFromHour = 22, ChargeToHour = 6, LossPercentPerDay = 0 };
        var scenario = Builders.Compile(Builders.Street() with
        {
            Kind = NetworkKind.Cooling,
            Temperatures = new OperatingTemperatures { SupplyDesign_c = 6, SupplyMild_c = 7, Return_c = 12 },
            Substations = [new Substation { Id = "office", Name = "Office", Node = "n0", Subscriber = SubscriberType.Tertiary, Subscribed_kw = 300, Cooling_mwh = 400 }],
            Production = [chiller],
            Storage = [ice],
        });
        var load = Enumerable.Range(0, 48).Select(h => h % 24 is >= 9 and < 18 ? 250.0 : 20.0).ToArray();
        var c = new DispatchConditions(load, Enumerable.Repeat(28.0, 48).ToArray(), Enumerable.Repeat(6.0, 48).ToArray(), Enumerable.Repeat(12.0, 48).ToArray(), new double[48]);
        var r = MeritOrderDispatch.Run(scenario, c);
        for (var h = 0; h < 48; h++)
        {
            var hour = h % 24;
            if (hour is >= 6 and < 22)
            {
                Assert.Equal(0, r.StorageCharge_kw[h]);
            }
            else
            {
                Assert.Equal(0, r.StorageDischarge_kw[h]);
            }
        }
        Assert.True(r.StorageCharge_kw.Sum() > 500);
        // the day after the first night the chiller's day output is lower by what the ice gives back
        var dayChiller = Enumerable.Range(33, 9).Sum(h => r.Output_kw[0][h]);
        Assert.True(dayChiller < 9 * 250 - 500, $"{dayChiller}");
        // ice making costs more electricity per kWh of cold than direct cooling
        var night = 23;
        var eer = r.Performance[0][night];
        Assert.True(r.Electricity_kw[0][night] > r.Output_kw[0][night] / eer);
    }
}
