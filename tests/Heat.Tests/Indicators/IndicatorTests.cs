using Socle.Modules.Heat.Dispatch;
using Socle.Modules.Heat.Indicators;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Simulation;
using Socle.Modules.Heat.Weather;

namespace Socle.Heat.Tests.Indicators;

/// <summary>
/// Indicators on a year whose every number can be worked out by hand: a constant 150 kW plant load for 8760 h, 140 kW
/// delivered and 10 kW lost.
/// </summary>
public class IndicatorTests
{
    private static readonly WeatherYear Weather = TypicalYear.Generate(Climates.Find("rouen")!);

    private static (YearResult Year, IndicatorSet Indicators) Year(Scenario scenario, double load_kw = 150, double delivered_kw = 140, double supply_c = 80)
    {
        var compiled = Builders.Compile(scenario);
        const int hours = WeatherYear.Hours;
        var hourly = new HourlySeries(hours);
        for (var h = 0; h < hours; h++)
        {
            hourly.PlantLoad_kw[h] = load_kw;
            hourly.Demand_kw[h] = delivered_kw;
            hourly.SupplyLoss_kw[h] = (load_kw - delivered_kw) / 2;
            hourly.ReturnLoss_kw[h] = (load_kw - delivered_kw) / 2;
            hourly.Supply_c[h] = supply_c;
            hourly.Return_c[h] = 50;
            hourly.Outdoor_c[h] = 5;
        }
        var dispatch = MeritOrderDispatch.Run(compiled, new DispatchConditions(hourly.PlantLoad_kw, hourly.Outdoor_c, hourly.Supply_c, hourly.Return_c, new double[hours]));
        var year = new YearResult
        {
            Scenario = compiled, Weather = Weather, Hourly = hourly, Dispatch = dispatch, Substations = [], Pipes = [], Warnings = [],
            Seconds = 0, CoreNodes = 1, NewtonIterations = 0, Passes = 0,
        };
        return (year, IndicatorCalculator.Compute(year));
    }

    private static readonly ProductionUnit Wood = new() { Id = "wood", Name = "Wood", Type = UnitType.BiomassBoiler, Capacity_kw = 100, Efficiency = 0.8 };
    private static readonly ProductionUnit Gas = new() { Id = "gas", Name = "Gas", Type = UnitType.GasBoiler, Capacity_kw = 500, Efficiency = 0.9 };

    [Fact]
    public void EnRR_rate_CO2_contents_avoided_CO2_and_wood_tonnes_by_hand()
    {
        var (_, i) = Year(Builders.Street(units: [Wood, Gas]));
        // wood 100 kW × 8760 h = 876 MWh, gas 438 MWh: EnR&R = 876 / 1314
        Assert.Equal(876.0 / 1314.0, i.EnrrRate, 12);
        Assert.Equal(1314, i.Injected_mwh, 9);
        Assert.Equal(1226.4, i.Delivered_mwh, 9);
        Assert.Equal(1226.4 / 1314, i.NetworkEfficiency, 12);
        // fuel: wood 1095 MWh, gas 486.67 MWh; life cycle: 0.024 and 0.227 kg/kWh (DPE 2021); direct: gas 0.202 (IPCC)
        var lifeCycle_kg = 1095e3 * 0.024 + 438e3 / 0.9 * 0.227;
        Assert.Equal(lifeCycle_kg / 1226.4e3, i.Co2LifeCycle_kg_per_kwh, 12);
        Assert.Equal(438e3 / 0.9 * 0.202 / 1226.4e3, i.Co2Direct_kg_per_kwh, 12);
        // avoided: useful heat 1226.4 MWh × 0.86 (substation) / 0.82 (individual condensing gas) × 0.227, less the network's emissions
        var reference_kg = 1226.4e3 * 0.86 / 0.82 * 0.227;
        Assert.Equal((reference_kg - lifeCycle_kg) / 1000, i.Co2Avoided_t, 9);
        // 1095 MWh of chips at 3 MWh/t
        Assert.Equal(365, i.WoodTonnes, 9);
        var wood = i.Units.Single(u => u.Id == "wood");
        Assert.Equal(8760, wood.FullLoadHours, 9);
        Assert.Equal(8760, wood.RunningHours);
    }

    [Fact]
    public void The_avoided_CO2_formula_reproduces_the_national_figure_the_brief_publishes()
    {
        // Brief (Fedene survey, 2022 edition): 26.3 TWh delivered, 4.7 Mt CO2 avoided against individual gas boilers.
        // With the SNCU 2019 average content of heat networks, 0.116 kg/kWh, against gas boilers at 75 % (0.227 kg/kWh,
        // no substation factor), the formula gives 4.9 Mt: within 5 % of the published figure.
        const double delivered_kwh = 26.3e9;
        var avoided_t = delivered_kwh * (1.0 / 0.75 * 0.227 - 0.116) / 1000;
        Assert.InRange(avoided_t / 4.7e6, 0.95, 1.05);
        // the same through the indicator code: a network whose content is 0.116 kg/kWh (its fuel's factor set for it),
        // against gas boilers at 75 %
        var scenario = Builders.Street(units: [Gas with { LifeCycleCo2_kg_per_kwh = 0.116 * 0.9 * 140 / 150 }]) with
        {
            Carbon = new CarbonSettings { IndividualGasBoilerEfficiency = 0.75, SubstationEfficiency = 1 },
        };
        var (_, i) = Year(scenario);
        Assert.Equal(0.116, i.Co2LifeCycle_kg_per_kwh, 6);
        Assert.Equal(i.Delivered_mwh * 1000 * (0.227 / 0.75 - 0.116) / 1000, i.Co2Avoided_t, 6);
    }

    [Fact]
    public void Incineration_counts_wholly_as_EnRR_half_renewable_half_recovered()
    {
        var uiom = new ProductionUnit { Id = "uiom", Name = "Incinerator", Type = UnitType.WasteHeat, Origin = WasteHeatOrigin.Incineration, Capacity_kw = 90 };
        var (_, i) = Year(Builders.Street(units: [uiom, Gas]));
        Assert.Equal(90.0 / 150, i.EnrrRate, 12);
        Assert.Equal(45.0 / 150, i.RenewableRate, 12);
        Assert.Equal(45.0 / 150, i.RecoveredRate, 12);
        Assert.Equal(438e3 * 2 * 0 + 60.0 * 8760 / 0.9 * 0.227 / (140.0 * 8760), i.Co2LifeCycle_kg_per_kwh, 9); // incineration heat carries no CO2
    }

    [Fact]
    public void Fossil_CHP_heat_is_not_EnRR_and_its_emissions_are_shared_with_its_electricity()
    {
        var chp = new ProductionUnit { Id = "chp", Name = "Gas CHP", Type = UnitType.GasChp, Capacity_kw = 100, Efficiency = 0.45, ElectricEfficiency = 0.40 };
        var (_, i) = Year(Builders.Street(units: [chp, Gas]));
        Assert.Equal(0, i.EnrrRate);
        // fuel 100/0.45 = 222.2 kW, electricity 88.9 kW; heat share (100/0.92)/((100/0.92)+(88.9/0.53)) by the EU reference efficiencies
        var fuel = 100 / 0.45;
        var share = 100 / 0.92 / (100 / 0.92 + fuel * 0.40 / 0.53);
        var unit = i.Units.Single(u => u.Id == "chp");
        Assert.Equal(fuel * 8760 / 1000 * 0.227 * share, unit.LifeCycleCo2_t, 6);
        Assert.Equal(fuel * 0.40 * 8.76, unit.ChpElectricity_mwh, 6);
    }

    [Theory]
    [InlineData(HeatPumpRule.FullOutput)]
    [InlineData(HeatPumpRule.AmbientShare)]
    public void Heat_pump_heat_counts_in_full_or_only_its_ambient_part(HeatPumpRule rule)
    {
        var hp = new ProductionUnit { Id = "hp", Name = "HP", Type = UnitType.HeatPump, Capacity_kw = 100, CarnotEfficiency = 0.5, Source = HeatPumpSource.Water, SourceTemperature_c = 10 };
        var (_, i) = Year(Builders.Street(units: [hp, Gas]) with { Carbon = new CarbonSettings { HeatPumpRule = rule } }, supply_c: 70);
        var cop = 0.5 * 343.15 / 60;
        var hpShare = rule == HeatPumpRule.FullOutput ? 1 : 1 - 1 / cop;
        Assert.Equal(100 * hpShare / 150, i.EnrrRate, 9);
        // heat-pump electricity at 0.079 kg/kWh (DPE 2021, heating)
        Assert.Equal(100 / cop * 8.76 * 0.079, i.Units.Single(u => u.Id == "hp").LifeCycleCo2_t, 6);
    }

    [Fact]
    public void Linear_density_is_deliveries_per_metre_of_trench()
    {
        var (year, i) = Year(Builders.Street(units: [Wood, Gas]));
        Assert.Equal(300, year.Scenario.TrenchLength_m, 9); // three 100 m pipes
        Assert.Equal(1226.4 / 300, i.LinearDensity_mwh_per_m, 12);
        Assert.True(i.LinearDensity_mwh_per_m > IndicatorSet.DensityThreshold_mwh_per_m);
    }

    [Fact]
    public void Classement_needs_more_than_half_EnRR_and_the_other_conditions()
    {
        var (_, majority) = Year(Builders.Street(units: [Wood, Gas]));
        Assert.True(majority.Classement.Eligible);
        var (_, minority) = Year(Builders.Street(units: [Wood with { Capacity_kw = 50 }, Gas]));
        Assert.False(minority.Classement.Eligible);
        Assert.Contains(minority.Classement.Missing, m => m.Contains("EnR&R"));
        var (_, unmetered) = Year(Builders.Street(units: [Wood, Gas]) with { Regulation = new RegulatoryInputs { MeteredDeliveryPoints = false } });
        Assert.False(unmetered.Classement.Eligible);
        Assert.Contains("every delivery point metered", unmetered.Classement.Missing);
    }

    [Fact]
    public void Economics_by_hand_annuity_cost_per_MWh_and_payback()
    {
        var scenario = Builders.Street(units: [Wood with { Investment_eur = 300_000, VariableCost_eur_per_mwh = 40 }, Gas with { VariableCost_eur_per_mwh = 100 }]) with
        {
            Economics = new Economics { NetworkInvestment_eur = 700_000, Subsidies_eur = 200_000, DiscountRate = 0.04, LifetimeYears = 20, FixedCost_eur_per_year = 10_000, GasPrice_eur_per_mwh = 100 },
        };
        var (_, i) = Year(scenario);
        var e = i.Economy;
        var net = 800_000.0;
        var annuity = net * 0.04 / (1 - Math.Pow(1.04, -20));
        Assert.Equal(annuity, e.Annuity_eur_per_year, 6);
        var operating = 10_000 + 876 * 40 + 438 * 100;
        Assert.Equal(operating, e.Operating_eur_per_year, 6);
        Assert.Equal((annuity + operating) / 1226.4, e.Cost_eur_per_mwh, 9);
        var reference = 100 * 0.86 / 0.82;
        Assert.Equal(net / (reference * 1226.4 - operating), e.Payback_years!.Value, 9);
    }
}
