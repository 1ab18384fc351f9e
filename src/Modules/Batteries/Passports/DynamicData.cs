using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Batteries.Passports;

/// <summary>
/// State-of-health parameters as DIN DKE SPEC 99100 defines them (after ISO 12405-4 and Annex IV of the Regulation),
/// each against the battery's beginning-of-life (BOL) value recorded in its passport.
/// </summary>
public static class StateOfHealth
{
    /// <summary>Capacity fade, %: <c>(1 − C(x) / C_BOL) × 100</c>. (Remaining over rated × 100 is state of health, not fade.)</summary>
    public static double CapacityFade_pct(double remainingCapacity_ah, double ratedCapacity_ah) =>
        (1 - (remainingCapacity_ah / ratedCapacity_ah)) * 100;

    /// <summary>State of certified energy (SOCE), %: remaining usable energy over the certified (rated) energy × 100.</summary>
    public static double StateOfCertifiedEnergy_pct(double remainingEnergy_kwh, double ratedEnergy_kwh) =>
        remainingEnergy_kwh / ratedEnergy_kwh * 100;

    /// <summary>Internal resistance increase, %: <c>(R(x) − R_BOL) / R_BOL × 100</c>.</summary>
    public static double ResistanceIncrease_pct(double resistance_ohm, double initialResistance_ohm) =>
        (resistance_ohm - initialResistance_ohm) / initialResistance_ohm * 100;

    /// <summary>Power fade, %: <c>(1 − P(x) / P_BOL) × 100</c>, P_BOL the original power capability at the same state of charge.</summary>
    public static double PowerFade_pct(double power_w, double originalPower_w) => (1 - (power_w / originalPower_w)) * 100;

    /// <summary>Round-trip efficiency fade, %: <c>(1 − RTE(x) / RTE_BOL) × 100</c>.</summary>
    public static double RoundTripEfficiencyFade_pct(double efficiency_pct, double initialEfficiency_pct) =>
        (1 - (efficiency_pct / initialEfficiency_pct)) * 100;
}

/// <summary>
/// Measurements of one battery at one moment, as a battery management system or a workshop reports them. Appending them
/// records a new passport version whose <c>batteryCondition</c> holds the latest values (with <c>lastUpdate</c> = the
/// measurement time) and the DIN state-of-health parameters derived from them; each reading is kept as a time series.
/// </summary>
public sealed record DynamicReading
{
    public DateTimeOffset MeasuredAt { get; init; }

    public double? StateOfCharge_pct { get; init; }

    public double? RemainingCapacity_ah { get; init; }

    public double? RemainingEnergy_kwh { get; init; }

    /// <summary>Power the battery can deliver now at <see cref="PowerAtStateOfCharge_pct"/> (default 80 %).</summary>
    public double? RemainingPower_w { get; init; }

    public double? PowerAtStateOfCharge_pct { get; init; }

    /// <summary>Pack internal resistance now.</summary>
    public double? InternalResistance_ohm { get; init; }

    /// <summary>Cell internal resistance now (a representative or the worst cell).</summary>
    public double? CellInternalResistance_ohm { get; init; }

    public double? RoundTripEfficiency_pct { get; init; }

    public double? SelfDischargeRate_pct_per_month { get; init; }

    /// <summary>Cumulated full equivalent cycles (never decreases).</summary>
    public double? FullCycles { get; init; }

    /// <summary>Cumulated energy throughput (never decreases).</summary>
    public double? EnergyThroughput_kwh { get; init; }

    /// <summary>Cumulated capacity throughput (never decreases).</summary>
    public double? CapacityThroughput_ah { get; init; }

    public double? TimeExtremeHighTemp_h { get; init; }

    public double? TimeExtremeLowTemp_h { get; init; }

    public double? TimeExtremeHighTempCharging_h { get; init; }

    public double? TimeExtremeLowTempCharging_h { get; init; }

    /// <summary>A negative event to record: an accident, a deep discharge, an overcharge (free text, at most 500 characters).</summary>
    public string? NegativeEvent { get; init; }

    /// <summary>The measured values by name, for the readings table.</summary>
    public IEnumerable<(string Attribute, string Value)> Values()
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        if (StateOfCharge_pct is { } soc) { yield return ("stateOfCharge_pct", F(soc)); }
        if (RemainingCapacity_ah is { } c) { yield return ("remainingCapacity_ah", F(c)); }
        if (RemainingEnergy_kwh is { } e) { yield return ("remainingEnergy_kwh", F(e)); }
        if (RemainingPower_w is { } p) { yield return ("remainingPower_w", F(p)); }
        if (PowerAtStateOfCharge_pct is { } ps) { yield return ("powerAtStateOfCharge_pct", F(ps)); }
        if (InternalResistance_ohm is { } r) { yield return ("internalResistance_ohm", F(r)); }
        if (CellInternalResistance_ohm is { } rc) { yield return ("cellInternalResistance_ohm", F(rc)); }
        if (RoundTripEfficiency_pct is { } rte) { yield return ("roundTripEfficiency_pct", F(rte)); }
        if (SelfDischargeRate_pct_per_month is { } sd) { yield return ("selfDischargeRate_pct_per_month", F(sd)); }
        if (FullCycles is { } fc) { yield return ("fullCycles", F(fc)); }
        if (EnergyThroughput_kwh is { } et) { yield return ("energyThroughput_kwh", F(et)); }
        if (CapacityThroughput_ah is { } ct) { yield return ("capacityThroughput_ah", F(ct)); }
        if (TimeExtremeHighTemp_h is { } th) { yield return ("timeExtremeHighTemp_h", F(th)); }
        if (TimeExtremeLowTemp_h is { } tl) { yield return ("timeExtremeLowTemp_h", F(tl)); }
        if (TimeExtremeHighTempCharging_h is { } thc) { yield return ("timeExtremeHighTempCharging_h", F(thc)); }
        if (TimeExtremeLowTempCharging_h is { } tlc) { yield return ("timeExtremeLowTempCharging_h", F(tlc)); }
        if (NegativeEvent is { } ne) { yield return ("negativeEvent", ne); }
    }

    /// <summary>Input errors, by field: ranges, and cumulated counters that would go backwards.</summary>
    public Error? Check(DateTimeOffset now, JsonElement current)
    {
        var checks = new Checks();
        checks.That(MeasuredAt != default, "measuredAt", "is required");
        checks.That(MeasuredAt <= now.AddMinutes(5), "measuredAt", "is in the future");
        void Pct(double? v, string f) { if (v is { } x) { checks.Range(x, f, 0, 100); } }
        void Pos(double? v, string f) { if (v is { } x) { checks.Positive(x, f); } }
        void NonNeg(double? v, string f) { if (v is { } x) { checks.NonNegative(x, f); } }
        Pct(StateOfCharge_pct, "stateOfCharge_pct");
        Pct(PowerAtStateOfCharge_pct, "powerAtStateOfCharge_pct");
        Pct(RoundTripEfficiency_pct, "roundTripEfficiency_pct");
        NonNeg(RemainingCapacity_ah, "remainingCapacity_ah");
        NonNeg(RemainingEnergy_kwh, "remainingEnergy_kwh");
        NonNeg(RemainingPower_w, "remainingPower_w");
        Pos(InternalResistance_ohm, "internalResistance_ohm");
        Pos(CellInternalResistance_ohm, "cellInternalResistance_ohm");
        NonNeg(SelfDischargeRate_pct_per_month, "selfDischargeRate_pct_per_month");
        NonNeg(FullCycles, "fullCycles");
        NonNeg(EnergyThroughput_kwh, "energyThroughput_kwh");
        NonNeg(CapacityThroughput_ah, "capacityThroughput_ah");
        NonNeg(TimeExtremeHighTemp_h, "timeExtremeHighTemp_h");
        NonNeg(TimeExtremeLowTemp_h, "timeExtremeLowTemp_h");
        NonNeg(TimeExtremeHighTempCharging_h, "timeExtremeHighTempCharging_h");
        NonNeg(TimeExtremeLowTempCharging_h, "timeExtremeLowTempCharging_h");
        if (NegativeEvent is not null)
        {
            checks.Require(NegativeEvent, "negativeEvent", 500);
        }
        checks.That(Values().Any(), "reading", "holds no measurement");

        const string C = "performance.batteryCondition";
        void NotBelow(double? v, string f, string path)
        {
            if (v is { } x && PassportContent.Number(current, path) is { } before && x < before)
            {
                checks.Add(f, $"is cumulated and cannot go down from {before.ToString(CultureInfo.InvariantCulture)} to {x.ToString(CultureInfo.InvariantCulture)}");
            }
        }
        NotBelow(FullCycles, "fullCycles", $"{C}.numberOfFullCycles.numberOfFullCyclesValue");
        NotBelow(EnergyThroughput_kwh, "energyThroughput_kwh", $"{C}.energyThroughput.energyThroughputValue");
        NotBelow(CapacityThroughput_ah, "capacityThroughput_ah", $"{C}.capacityThroughput.capacityThroughputValue");
        if (PassportContent.Text(current, $"{C}.stateOfCharge.lastUpdate") is { } last
            && DateTimeOffset.TryParse(last, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var lastAt) && MeasuredAt < lastAt)
        {
            checks.Add("measuredAt", $"is before the last recorded measurement ({last}); readings are appended in time order");
        }

        const string T = "performance.batteryTechicalProperties";
        if (RemainingCapacity_ah is not null && PassportContent.Number(current, $"{T}.ratedCapacity") is not > 0)
        {
            checks.Add("remainingCapacity_ah", "needs the rated capacity (performance.batteryTechicalProperties.ratedCapacity) to compute the capacity fade");
        }
        if (RemainingEnergy_kwh is not null && PassportContent.Number(current, $"{T}.ratedEnergy") is not > 0)
        {
            checks.Add("remainingEnergy_kwh", "needs the rated energy (performance.batteryTechicalProperties.ratedEnergy) to compute the state of certified energy");
        }
        if (InternalResistance_ohm is not null && InitialResistance(current, "pack") is not > 0)
        {
            checks.Add("internalResistance_ohm", "needs the initial pack resistance (performance.batteryTechicalProperties.initialInternalResistance) to compute the increase");
        }
        if (CellInternalResistance_ohm is not null && InitialResistance(current, "cell") is not > 0)
        {
            checks.Add("cellInternalResistance_ohm", "needs the initial cell resistance (performance.batteryTechicalProperties.initialInternalResistance) to compute the increase");
        }
        return checks.Failed ? checks.ToError() : null;
    }

    internal static double? InitialResistance(JsonElement content, string component)
    {
        if (PassportContent.At(content, "performance.batteryTechicalProperties.initialInternalResistance") is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.TryGetProperty("batteryComponent", out var c) && c.ValueKind == JsonValueKind.String && c.GetString() == component
                    && item.TryGetProperty("ohmicResistance", out var r) && r.ValueKind == JsonValueKind.Number)
                {
                    return r.GetDouble();
                }
            }
        }
        return null;
    }

    /// <summary>Writes the reading into a copy of the content: latest values with their time, and the derived DIN parameters.</summary>
    public void ApplyTo(JsonObject content, JsonElement before)
    {
        var at = Sql.Time(MeasuredAt);
        const string C = "performance.batteryCondition";
        const string T = "performance.batteryTechicalProperties";
        void Value(string name, string valueName, double value) =>
            PassportContent.Set(content, $"{C}.{name}", new JsonObject { [valueName] = Round(value), ["lastUpdate"] = at });

        if (StateOfCharge_pct is { } soc) { Value("stateOfCharge", "stateOfChargeValue", soc); }
        if (RemainingCapacity_ah is { } cap)
        {
            Value("remainingCapacity", "remainingCapacityValue", cap);
            Value("capacityFade", "capacityFadeValue", StateOfHealth.CapacityFade_pct(cap, PassportContent.Number(before, $"{T}.ratedCapacity")!.Value));
        }
        if (RemainingEnergy_kwh is { } energy)
        {
            Value("remainingEnergy", "remainingEnergyValue", energy);
            Value("stateOfCertifiedEnergy", "stateOfCertifiedEnergyValue", StateOfHealth.StateOfCertifiedEnergy_pct(energy, PassportContent.Number(before, $"{T}.ratedEnergy")!.Value));
        }
        if (RemainingPower_w is { } power)
        {
            var atSoc = PowerAtStateOfCharge_pct ?? 80;
            PassportContent.Set(content, $"{C}.remainingPowerCapability", new JsonObject
            {
                ["remainingPowerCapabilityValue"] = new JsonObject { ["rPCLastUpdated"] = at, ["atSoC"] = Round(atSoc), ["powerCapabilityAt"] = Round(power) },
                ["lastUpdate"] = at,
            });
            if (OriginalPower(before, atSoc) is { } original and > 0)
            {
                PassportContent.Set(content, $"{T}.powerFade", Round(StateOfHealth.PowerFade_pct(power, original)));
            }
        }
        foreach (var (component, measured) in new[] { ("pack", InternalResistance_ohm), ("cell", CellInternalResistance_ohm) })
        {
            if (measured is not { } r)
            {
                continue;
            }
            var increase = StateOfHealth.ResistanceIncrease_pct(r, InitialResistance(before, component)!.Value);
            var list = PassportContent.Get(content, $"{C}.internalResistanceIncrease") as JsonArray ?? [];
            var kept = new JsonArray();
            foreach (var item in list)
            {
                if (item?["batteryComponent"]?.GetValue<string>() != component)
                {
                    kept.Add(item?.DeepClone());
                }
            }
            kept.Add(new JsonObject { ["internalResistanceIncreaseValue"] = Round(increase), ["batteryComponent"] = component, ["lastUpdate"] = at });
            PassportContent.Set(content, $"{C}.internalResistanceIncrease", kept);
        }
        if (RoundTripEfficiency_pct is { } rte)
        {
            Value("remainingRoundTripEnergyEfficiency", "remainingRoundTripEnergyEfficiencyValue", rte);
            if (PassportContent.Number(before, $"{T}.roundtripEfficiency") is { } initial and > 0)
            {
                PassportContent.Set(content, $"{T}.roundTripEfficiencyFade", Round(StateOfHealth.RoundTripEfficiencyFade_pct(rte, initial)));
            }
        }
        if (SelfDischargeRate_pct_per_month is { } sd)
        {
            Value("currentSelfDischargingRate", "currentSelfDischargingRateValue", sd);
            if (PassportContent.Number(before, $"{T}.initialSelfDischarge") is { } initial)
            {
                // evolution: change since beginning of life, in percentage points
                Value("evolutionOfSelfDischarge", "evolutionOfSelfDischargeValue", sd - initial);
            }
        }
        if (FullCycles is { } cycles) { Value("numberOfFullCycles", "numberOfFullCyclesValue", cycles); }
        if (EnergyThroughput_kwh is { } et) { Value("energyThroughput", "energyThroughputValue", et); }
        if (CapacityThroughput_ah is { } ct) { Value("capacityThroughput", "capacityThroughputValue", ct); }
        if (TimeExtremeHighTemp_h is not null || TimeExtremeLowTemp_h is not null || TimeExtremeHighTempCharging_h is not null || TimeExtremeLowTempCharging_h is not null)
        {
            var previous = PassportContent.Get(content, $"{C}.temperatureInformation") as JsonObject;
            double Keep(double? now, string name) => now ?? previous?[name]?.GetValue<double>() ?? 0;
            PassportContent.Set(content, $"{C}.temperatureInformation", new JsonObject
            {
                ["timeExtremeHighTemp"] = Round(Keep(TimeExtremeHighTemp_h, "timeExtremeHighTemp")),
                ["timeExtremeLowTemp"] = Round(Keep(TimeExtremeLowTemp_h, "timeExtremeLowTemp")),
                ["timeExtremeHighTempCharging"] = Round(Keep(TimeExtremeHighTempCharging_h, "timeExtremeHighTempCharging")),
                ["timeExtremeLowTempCharging"] = Round(Keep(TimeExtremeLowTempCharging_h, "timeExtremeLowTempCharging")),
                ["lastUpdate"] = at,
            });
        }
        if (NegativeEvent is { } ev)
        {
            var events = PassportContent.Get(content, $"{C}.negativeEvents") as JsonArray ?? [];
            var copy = (JsonArray)events.DeepClone();
            copy.Add(new JsonObject { ["negativeEvent"] = ev.Trim(), ["lastUpdate"] = at });
            PassportContent.Set(content, $"{C}.negativeEvents", copy);
        }
    }

    private static double? OriginalPower(JsonElement content, double atSoc)
    {
        if (PassportContent.At(content, "performance.batteryTechicalProperties.originalPowerCapability") is { ValueKind: JsonValueKind.Array } list)
        {
            foreach (var item in list.EnumerateArray())
            {
                if (item.TryGetProperty("atSoC", out var s) && s.ValueKind == JsonValueKind.Number && Math.Abs(s.GetDouble() - atSoc) < 1e-9
                    && item.TryGetProperty("powerCapabilityAt", out var p) && p.ValueKind == JsonValueKind.Number)
                {
                    return p.GetDouble();
                }
            }
        }
        return PassportContent.Number(content, "performance.batteryTechicalProperties.ratedMaximumPower");
    }

    /// <summary>Six significant decimals: enough for any measurement, and no binary noise in the stored document.</summary>
    private static double Round(double value) => Math.Round(value, 6, MidpointRounding.ToEven);
}
