using Socle.Modules.Heat.Indicators;
using Socle.Modules.Heat.Scenarios;

namespace Socle.Modules.Heat.Studies;

/// <summary>The figures a decision compares, one line per scenario or variant.</summary>
public sealed record ScenarioSummary(
    string Id, string Name, double Delivered_mwh, double NetworkLoss_mwh, double NetworkEfficiency, double EnrrRate,
    double Co2LifeCycle_kg_per_kwh, double Co2Avoided_t, double LinearDensity_mwh_per_m, double TrenchLength_m, double PeakLoad_kw,
    double Investment_eur, double Cost_eur_per_mwh, double? Payback_years, double Unmet_mwh, bool Classable, double Pump_mwh,
    double? HeatPumpCop, double WoodTonnes, double Substations)
{
    public static ScenarioSummary From(Scenario s, IndicatorSet i) => new(
        s.Id, s.Name, i.Delivered_mwh, i.NetworkLoss_mwh, i.NetworkEfficiency, i.EnrrRate, i.Co2LifeCycle_kg_per_kwh, i.Co2Avoided_t,
        i.LinearDensity_mwh_per_m, i.TrenchLength_m, i.PeakLoad_kw, i.Economy.Investment_eur, i.Economy.Cost_eur_per_mwh, i.Economy.Payback_years,
        i.Unmet_mwh, i.Classement.Eligible, i.Pump_mwh,
        i.Units.Where(u => u.Type == UnitType.HeatPump && u.MeanPerformance is not null).Select(u => u.MeanPerformance!.Value).DefaultIfEmpty(double.NaN).Average() is var cop && !double.IsNaN(cop) ? cop : null,
        i.WoodTonnes, s.Substations.Count);
}

/// <summary>A variant against its base: the figures of both and what the change adds.</summary>
public sealed record VariantResult(
    string Name, ScenarioSummary Summary, double AddedDelivered_mwh, double AddedInvestment_eur, double? CostOfAddedHeat_eur_per_mwh,
    double? PaybackOfAddition_years, double AddedCo2Avoided_t);

public sealed record StudyResult(string Study, ScenarioSummary Base, IReadOnlyList<VariantResult> Variants, IReadOnlyList<string> Notes);
