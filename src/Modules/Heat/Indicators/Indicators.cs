using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Simulation;

namespace Socle.Modules.Heat.Indicators;

/// <summary>Energy of one production unit over the year.</summary>
public sealed record UnitYear(
    string Id, string Name, UnitType Type, EnrrClass Enrr, double Capacity_kw, double Output_mwh, double Fuel_mwh, double Electricity_mwh,
    double ChpElectricity_mwh, double Dumped_mwh, double FullLoadHours, double RunningHours, double Peak_kw, double? FuelTonnes,
    double EnrrShare, double DirectCo2_t, double LifeCycleCo2_t, double? MeanPerformance);

/// <summary>
/// The classement test of Code de l'énergie L712-1 (in force since 1 January 2022): a public heat or cold network is
/// classed automatically when it is fed by more than 50 % EnR&amp;R, meters every delivery point and has balanced accounts,
/// unless the authority opted out by a motivated deliberation.
/// </summary>
public sealed record ClassementStatus(bool Eligible, double EnrrRate, IReadOnlyList<string> Met, IReadOnlyList<string> Missing)
{
    /// <summary>Each condition of L712-1 (codes: enrr, public_service, metering, balanced_accounts, no_opt_out) and whether it holds.</summary>
    public IReadOnlyList<ClassementCondition> Conditions { get; init; } = [];
}

public sealed record ClassementCondition(string Code, bool Met);

public sealed record Economy(
    double Investment_eur, double Subsidies_eur, double Annuity_eur_per_year, double Operating_eur_per_year, double Cost_eur_per_mwh,
    double ReferenceCost_eur_per_mwh, double? Payback_years);

/// <summary>The French indicators of a simulated year (docs/heat/indicators.md names each formula and factor).</summary>
public sealed record IndicatorSet
{
    public required double Delivered_mwh { get; init; }

    public required double Demand_mwh { get; init; }

    public required double Unmet_mwh { get; init; }

    public required int UnmetHours { get; init; }

    /// <summary>Heat units put into the network and the store (what R712-1 calls injected).</summary>
    public required double Injected_mwh { get; init; }

    public required double NetworkLoss_mwh { get; init; }

    public required double StorageLoss_mwh { get; init; }

    public required double Dumped_mwh { get; init; }

    /// <summary>Deliveries / injected production (the SNCU "rendement").</summary>
    public required double NetworkEfficiency { get; init; }

    public required double PeakLoad_kw { get; init; }

    public required double PeakDemand_kw { get; init; }

    public required double Pump_mwh { get; init; }

    public required double EnrrRate { get; init; }

    public required double RenewableRate { get; init; }

    public required double RecoveredRate { get; init; }

    /// <summary>kg CO2 per kWh delivered, combustion only.</summary>
    public required double Co2Direct_kg_per_kwh { get; init; }

    /// <summary>kg CO2 per kWh delivered, life cycle (upstream, electricity).</summary>
    public required double Co2LifeCycle_kg_per_kwh { get; init; }

    public required double Co2Emitted_t { get; init; }

    public required double Co2Avoided_t { get; init; }

    public required double ReferenceEmissions_t { get; init; }

    /// <summary>MWh delivered per metre of trench per year.</summary>
    public required double LinearDensity_mwh_per_m { get; init; }

    public const double DensityThreshold_mwh_per_m = 1.5;

    public required double TrenchLength_m { get; init; }

    public required double Dwellings { get; init; }

    /// <summary>
    /// Deliveries in "équivalents-logements" at 9.74 MWh each: the brief's national figures (Fedene survey, 2022 edition:
    /// 26.3 TWh delivered to 2.7 million dwelling equivalents).
    /// </summary>
    public double DwellingEquivalents => Delivered_mwh / MwhPerDwellingEquivalent;

    public const double MwhPerDwellingEquivalent = 26.3e6 / 2.7e6;

    public required ClassementStatus Classement { get; init; }

    public required Economy Economy { get; init; }

    public required IReadOnlyList<UnitYear> Units { get; init; }

    public required double WoodTonnes { get; init; }
}

public static class IndicatorCalculator
{
    /// <summary>EU reference efficiencies for separate production (Delegated Regulation (EU) 2015/2402, annexes I and II): electricity, heat.</summary>
    public static (double Electricity, double Heat) ReferenceEfficiencies(Fuel fuel) => fuel switch
    {
        Fuel.NaturalGas => (0.53, 0.92),
        Fuel.WoodChips or Fuel.WoodPellets => (0.37, 0.86),
        Fuel.Biogas => (0.42, 0.80),
        Fuel.FuelOil => (0.44, 0.85),
        _ => (0.40, 0.85),
    };

    public static IndicatorSet Compute(YearResult year)
    {
        var scenario = year.Scenario;
        var s = scenario.Scenario;
        var d = year.Dispatch;
        var h = year.Hourly;
        var carbon = s.Carbon;
        var hours = h.Demand_kw.Length;
        var unmet = d.Unmet_kw.Sum() / 1000;
        var demand = h.Demand_kw.Sum() / 1000;
        // What cannot be produced cannot be delivered; the shortfall falls on deliveries first.
        var delivered = Math.Max(0, demand - unmet);

        var units = new List<UnitYear>();
        double injected = 0, enrr = 0, renewable = 0, recovered = 0, directKg = 0, lifeCycleKg = 0, wood = 0;
        for (var i = 0; i < d.Units.Count; i++)
        {
            var u = d.Units[i];
            var output = d.Output_kw[i];
            var outMwh = output.Sum() / 1000;
            var fuel = d.Fuel_kw[i].Sum() / 1000;
            var electricity = d.Electricity_kw[i].Sum() / 1000;
            var chpElectricity = d.ChpElectricity_kw[i].Sum() / 1000;
            double share;
            double renewablePart, recoveredPart;
            switch (u.Enrr)
            {
                case EnrrClass.Renewable:
                    share = 1; renewablePart = 1; recoveredPart = 0;
                    break;
                case EnrrClass.Recovered:
                    share = 1; renewablePart = 0; recoveredPart = 1;
                    break;
                case EnrrClass.Incineration:
                    share = 1; renewablePart = 0.5; recoveredPart = 0.5;
                    break;
                case EnrrClass.HeatPump:
                    share = carbon.HeatPumpRule == HeatPumpRule.FullOutput || outMwh <= 0 ? 1 : Math.Max(0, (outMwh - electricity) / outMwh);
                    renewablePart = share; recoveredPart = 0;
                    if ((u.Unit.Source ?? HeatPumpSource.OutdoorAir) == HeatPumpSource.WasteHeat)
                    {
                        (renewablePart, recoveredPart) = (0, share);
                    }
                    break;
                default:
                    share = 0; renewablePart = 0; recoveredPart = 0;
                    break;
            }
            injected += outMwh;
            enrr += outMwh * share;
            renewable += outMwh * renewablePart;
            recovered += outMwh * recoveredPart;
            // emissions of fuel (electricity-fuelled units carry the electricity factor as life-cycle factor)
            var direct = fuel * 1000 * u.Factors.Direct_kg_per_kwh;
            var lifeCycle = fuel * 1000 * u.Factors.LifeCycle_kg_per_kwh;
            if (u.Fuel != Fuel.Electricity && electricity > 0)
            {
                lifeCycle += electricity * 1000 * carbon.Electricity_kg_per_kwh;
            }
            if (chpElectricity > 0 && carbon.AllocateChpToElectricity && outMwh > 0)
            {
                var (etaE, etaH) = ReferenceEfficiencies(u.Fuel);
                var heatShare = outMwh / etaH / (outMwh / etaH + chpElectricity / etaE);
                direct *= heatShare;
                lifeCycle *= heatShare;
            }
            directKg += direct;
            lifeCycleKg += lifeCycle;
            var tonnes = u.Lhv_kwh_per_t is { } lhv && fuel > 0 && u.Fuel is Fuel.WoodChips or Fuel.WoodPellets or Fuel.FuelOil ? fuel * 1000 / lhv : (double?)null;
            if (u.Fuel is Fuel.WoodChips or Fuel.WoodPellets && tonnes is { } t)
            {
                wood += t;
            }
            var perf = d.Performance[i].Where((p, k) => !double.IsNaN(p) && output[k] > 0).DefaultIfEmpty(double.NaN).Average();
            units.Add(new UnitYear(u.Id, u.Unit.Name, u.Unit.Type, u.Enrr, u.Unit.Capacity_kw, outMwh, fuel, electricity, chpElectricity,
                d.Dumped_kw[i].Sum() / 1000, outMwh * 1000 / u.Unit.Capacity_kw, output.Count(o => o > 1e-6), output.Max(), tonnes, share,
                direct / 1000, lifeCycle / 1000, double.IsNaN(perf) ? null : perf));
        }
        var pump = h.Pump_kw.Sum() / 1000;
        lifeCycleKg += pump * 1000 * carbon.Electricity_kg_per_kwh;
        var deliveredKwh = Math.Max(delivered * 1000, 1e-9);
        var referenceKg = scenario.Cooling
            ? 0
            : delivered * 1000 * carbon.SubstationEfficiency / carbon.IndividualGasBoilerEfficiency * carbon.ReferenceGas_kg_per_kwh;
        var enrrRate = injected > 0 ? enrr / injected : 0;

        var reg = s.Regulation;
        var met = new List<string>();
        var missing = new List<string>();
        (enrrRate > 0.5 ? met : missing).Add($"EnR&R rate {enrrRate:P1} {(enrrRate > 0.5 ? ">" : "≤")} 50 %");
        (reg.PublicService ? met : missing).Add("public service network of a local authority");
        (reg.MeteredDeliveryPoints ? met : missing).Add("every delivery point metered");
        (reg.BalancedAccounts ? met : missing).Add("balanced accounts");
        (!reg.OptedOut ? met : missing).Add(reg.OptedOut ? "the authority opted out by deliberation" : "no opt-out deliberation");
        var classement = new ClassementStatus(missing.Count == 0, enrrRate, met, missing)
        {
            Conditions =
            [
                new("enrr", enrrRate > 0.5),
                new("public_service", reg.PublicService),
                new("metering", reg.MeteredDeliveryPoints),
                new("balanced_accounts", reg.BalancedAccounts),
                new("no_opt_out", !reg.OptedOut),
            ],
        };

        var trench = scenario.TrenchLength_m;
        return new IndicatorSet
        {
            Delivered_mwh = delivered,
            Demand_mwh = demand,
            Unmet_mwh = unmet,
            UnmetHours = d.Unmet_kw.Count(x => x > 0),
            Injected_mwh = injected,
            NetworkLoss_mwh = (h.SupplyLoss_kw.Sum() + h.ReturnLoss_kw.Sum()) / 1000,
            StorageLoss_mwh = d.StorageLoss_kw.Sum() / 1000,
            Dumped_mwh = units.Sum(u => u.Dumped_mwh),
            NetworkEfficiency = injected > 0 ? delivered / injected : 0,
            PeakLoad_kw = h.PlantLoad_kw.Max(),
            PeakDemand_kw = h.Demand_kw.Max(),
            Pump_mwh = pump,
            EnrrRate = enrrRate,
            RenewableRate = injected > 0 ? renewable / injected : 0,
            RecoveredRate = injected > 0 ? recovered / injected : 0,
            Co2Direct_kg_per_kwh = directKg / deliveredKwh,
            Co2LifeCycle_kg_per_kwh = lifeCycleKg / deliveredKwh,
            Co2Emitted_t = lifeCycleKg / 1000,
            ReferenceEmissions_t = referenceKg / 1000,
            Co2Avoided_t = scenario.Cooling ? 0 : (referenceKg - lifeCycleKg) / 1000,
            LinearDensity_mwh_per_m = trench > 0 ? delivered / trench : 0,
            TrenchLength_m = trench,
            Dwellings = s.Substations.Sum(x => x.Dwellings),
            Classement = classement,
            Economy = Economics(year, units, delivered, pump),
            Units = units,
            WoodTonnes = wood,
        };
    }

    /// <summary>
    /// Investment (units, storage, network, new pipes and substations, less subsidies) turned into a constant annuity
    /// I·r/(1 − (1 + r)^−n); operating cost = fixed O&amp;M + variable cost of each unit's heat + electricity bought; the cost
    /// per MWh delivered; and the simple payback against subscribers heating with individual gas boilers.
    /// </summary>
    public static Economy Economics(YearResult year, IReadOnlyList<UnitYear> units, double delivered_mwh, double pump_mwh)
    {
        var s = year.Scenario.Scenario;
        var e = s.Economics;
        var investment = s.Production.Sum(u => u.Investment_eur) + s.Storage.Sum(x => x.Investment_eur) + e.NetworkInvestment_eur
            + year.Scenario.Pipes.Sum(p => p.Cost_eur)
            + s.Substations.Where(x => x.Planned).Sum(x => e.SubstationCostFixed_eur + e.SubstationCost_eur_per_kw * x.Subscribed_kw);
        var net = Math.Max(0, investment - e.Subsidies_eur);
        var r = e.DiscountRate;
        var annuity = r == 0 ? net / e.LifetimeYears : net * r / (1 - Math.Pow(1 + r, -e.LifetimeYears));
        double variable = 0;
        foreach (var u in units)
        {
            var unit = s.Production.First(p => p.Id == u.Id);
            variable += unit.VariableCost_eur_per_mwh * u.Output_mwh;
            if (unit.VariableCost_eur_per_mwh == 0 && u.Electricity_mwh > 0)
            {
                variable += u.Electricity_mwh * e.ElectricityPrice_eur_per_mwh;
            }
        }
        var operating = e.FixedCost_eur_per_year + variable + pump_mwh * e.ElectricityPrice_eur_per_mwh;
        var cost = delivered_mwh > 0 ? (annuity + operating) / delivered_mwh : 0;
        var reference = e.GasPrice_eur_per_mwh * s.Carbon.SubstationEfficiency / s.Carbon.IndividualGasBoilerEfficiency;
        var savings = reference * delivered_mwh - operating;
        double? payback = savings > 0 && net > 0 ? net / savings : net == 0 && savings > 0 ? 0 : null;
        return new Economy(investment, e.Subsidies_eur, annuity, operating, cost, reference, payback);
    }
}
