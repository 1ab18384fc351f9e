using Socle.Modules.Heat.Scenarios;

namespace Socle.Modules.Heat.Dispatch;

/// <summary>Hour-dependent performance of units: heat-pump COP, chiller EER, solar collector output.</summary>
public static class UnitPerformance
{
    /// <summary>
    /// Heat-pump COP at a sink (supply) and source temperature. Carnot law (the default, η = 0.5 unless given):
    /// COP = η·T_sink/(T_sink − T_source) (kelvin). When2heat law: the regression of Ruhnau et al. 2019 (MIT), COP =
    /// (a0 + a1·ΔT + a2·ΔT²)·0.85 with ΔT = T_sink − T_source ≥ 15 K: air 6.0801, −0.0941, 0.0005; ground 10.288,
    /// −0.2084, 0.0012; water 9.9696, −0.2049, 0.0012 (the 0.85 accounts for real-world operation).
    /// </summary>
    public static double HeatPumpCop(ProductionUnit unit, double sink_c, double source_c)
    {
        var lift = Math.Max(sink_c - source_c, 15);
        double cop;
        if (unit.CopLaw == CopLaw.Carnot)
        {
            cop = (unit.CarnotEfficiency ?? 0.5) * (sink_c + 273.15) / lift;
        }
        else
        {
            var (a0, a1, a2) = (unit.Source ?? HeatPumpSource.OutdoorAir) switch
            {
                HeatPumpSource.Ground => (10.288, -0.2084, 0.0012),
                HeatPumpSource.OutdoorAir => (6.0801, -0.0941, 0.0005),
                _ => (9.9696, -0.2049, 0.0012),
            };
            cop = (a0 + a1 * lift + a2 * lift * lift) * 0.85;
        }
        return Math.Clamp(cop, 1.0, 12.0);
    }

    /// <summary>Source temperature of a heat pump in this hour: outdoor air follows the weather, the others their stated temperature.</summary>
    public static double Source_c(ProductionUnit unit, double outdoor_c) =>
        (unit.Source ?? HeatPumpSource.OutdoorAir) == HeatPumpSource.OutdoorAir ? outdoor_c : unit.SourceTemperature_c ?? 10;

    /// <summary>
    /// Chiller EER: the stated EER scaled by the Carnot ratio between design (condenser at 35 °C, evaporator at 5 °C) and the
    /// hour (condenser 5 K above its cooling medium — outdoor air, or the water source when the chiller is water-cooled —
    /// evaporator 2 K below the cold supply); Carnot efficiency η when given.
    /// </summary>
    public static double ChillerEer(ProductionUnit unit, double supply_c, double outdoor_c)
    {
        var evaporator = supply_c - 2 + 273.15;
        var medium = unit.Source is HeatPumpSource.Water or HeatPumpSource.Ground && unit.SourceTemperature_c is { } water ? water : outdoor_c;
        var condenser = Math.Max(medium + 5 + 273.15, evaporator + 10);
        var carnot = evaporator / (condenser - evaporator);
        if (unit.CarnotEfficiency is { } eta)
        {
            return Math.Clamp(eta * carnot, 1, 15);
        }
        // the stated EER holds at design: cold supply 5 °C (evaporator 3 °C), condenser 5 K above its medium on a hot day
        // (35 °C air, or the water source's own temperature)
        var designMedium = unit.Source is HeatPumpSource.Water or HeatPumpSource.Ground && unit.SourceTemperature_c is { } w ? w : 35;
        var designCarnot = (3 + 273.15) / (designMedium + 5 - 3);
        return Math.Clamp((unit.Eer ?? 4.5) * carnot / designCarnot, 1, 15);
    }

    /// <summary>
    /// Solar collector field output (kW): area·max(0, η0·G − a1·(T_m − T_a))/1000, T_m the mean of supply and return
    /// (EN ISO 9806 first-order model).
    /// </summary>
    public static double SolarOutput_kw(ProductionUnit unit, double ghi_w_per_m2, double outdoor_c, double meanFluid_c)
    {
        if (ghi_w_per_m2 <= 0)
        {
            return 0;
        }
        var perM2 = unit.Eta0 * ghi_w_per_m2 - unit.A1_w_per_m2_k * (meanFluid_c - outdoor_c);
        return Math.Min(unit.Capacity_kw, Math.Max(0, perM2) * (unit.Area_m2 ?? 0) / 1000);
    }
}
