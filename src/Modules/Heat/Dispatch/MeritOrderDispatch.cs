using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Weather;

namespace Socle.Modules.Heat.Dispatch;

/// <summary>The hour-by-hour conditions the plant works in.</summary>
public sealed record DispatchConditions(double[] Load_kw, double[] Outdoor_c, double[] Supply_c, double[] Return_c, double[] Ghi_w_per_m2);

/// <summary>What every unit and the storage did in each hour.</summary>
public sealed class DispatchResult
{
    public required IReadOnlyList<ResolvedUnit> Units { get; init; }

    /// <summary>Heat (or cold) each unit put into the network or the storage, per hour.</summary>
    public required double[][] Output_kw { get; init; }

    /// <summary>Fuel each unit burnt (lower heating value); for electric units, the electricity.</summary>
    public required double[][] Fuel_kw { get; init; }

    /// <summary>Electricity each unit consumed (heat pumps, chillers, electric boilers).</summary>
    public required double[][] Electricity_kw { get; init; }

    /// <summary>Electricity a CHP produced.</summary>
    public required double[][] ChpElectricity_kw { get; init; }

    /// <summary>Heat a must-take unit had but nobody could use (cooled away).</summary>
    public required double[][] Dumped_kw { get; init; }

    public required double[] StorageCharge_kw { get; init; }

    public required double[] StorageDischarge_kw { get; init; }

    public required double[] StorageContent_kwh { get; init; }

    public required double[] StorageLoss_kw { get; init; }

    /// <summary>Demand no unit nor the storage could meet — reported, never hidden.</summary>
    public required double[] Unmet_kw { get; init; }

    /// <summary>Hourly COP (heat pumps) or EER (chillers); NaN for other units.</summary>
    public required double[][] Performance { get; init; }
}

/// <summary>
/// Merit-order dispatch with storage, hour by hour:
/// <list type="number">
/// <item>Must-take heat (solar, recovered heat) first; what the load cannot use charges the storage, the rest is dumped.</item>
/// <item>Then the other units by rank. A unit whose share would fall below its minimum load either runs at its minimum and
/// stores the surplus (when it is a unit allowed to charge and the store has room) or stays off, and the next unit takes over.</item>
/// <item>The store discharges just before the first fossil unit (gas, fuel oil, electric boiler): stored renewable heat
/// displaces peak fuel. Hot-water stores charge from renewable and recovered units whenever they have spare capacity.</item>
/// <item>Ice stores (cooling) charge only in their off-peak window, from chillers at a reduced EER, and discharge outside it
/// before the chillers run, spreading their content evenly over the hours left until the window opens again.</item>
/// <item>What remains is unmet demand.</item>
/// </list>
/// Several stores act as one (capacities and powers add up).
/// </summary>
public static class MeritOrderDispatch
{
    public static DispatchResult Run(CompiledScenario scenario, DispatchConditions conditions)
    {
        var hours = conditions.Load_kw.Length;
        var units = scenario.Units.Select((u, i) => (Unit: u, Index: i)).OrderBy(x => x.Unit.Merit).ThenBy(x => x.Index).Select(x => x.Unit).ToList();
        var count = units.Count;
        var output = Jagged(count, hours);
        var fuel = Jagged(count, hours);
        var electricity = Jagged(count, hours);
        var chp = Jagged(count, hours);
        var dumped = Jagged(count, hours);
        var performance = Jagged(count, hours);
        var charge = new double[hours];
        var discharge = new double[hours];
        var content = new double[hours];
        var storageLoss = new double[hours];
        var unmet = new double[hours];

        var cooling = scenario.Cooling;
        var stores = scenario.Scenario.Storage;
        var capacity = stores.Sum(s => s.Capacity_kwh);
        var power = stores.Sum(s => s.Power_kw);
        var lossPerHour = capacity > 0 ? stores.Sum(s => s.Capacity_kwh * s.LossPercentPerDay) / capacity / 100 / 24 : 0;
        var ice = stores.Count > 0 && stores[0].Type == StorageType.Ice;
        var window = stores.Count > 0 ? (From: stores[0].ChargeFromHour, To: stores[0].ChargeToHour) : (From: 0, To: 0);
        var iceFactor = stores.Count > 0 ? stores[0].IceEerFactor : 1;

        var mustTake = Enumerable.Range(0, count).Where(i => units[i].MustTake).ToArray();
        var dispatchable = Enumerable.Range(0, count).Where(i => !units[i].MustTake).ToArray();
        var storagePosition = Array.FindIndex(dispatchable, i => units[i].Enrr == EnrrClass.Fossil && !(cooling && units[i].Unit.Type == UnitType.AbsorptionChiller));
        if (storagePosition < 0)
        {
            storagePosition = dispatchable.Length;
        }
        var available = new double[count];
        var chargePart = new double[count];
        var stored = 0.0;

        for (var h = 0; h < hours; h++)
        {
            var month = TypicalYear.MonthOfHour(h);
            var hourOfDay = h % 24;
            var inWindow = window.From <= window.To ? hourOfDay >= window.From && hourOfDay < window.To : hourOfDay >= window.From || hourOfDay < window.To;
            var mayCharge = capacity > 0 && (!ice || inWindow);
            var mayDischarge = capacity > 0 && (!ice || !inWindow);
            for (var i = 0; i < count; i++)
            {
                available[i] = Available(units[i], conditions, h, month, cooling, performance[i]);
                chargePart[i] = 0;
            }
            var remaining = Math.Max(0, conditions.Load_kw[h]);
            var room = mayCharge ? Math.Min(power, capacity - stored) : 0;
            var charged = 0.0;
            var discharged = 0.0;

            foreach (var i in mustTake)
            {
                var used = Math.Min(available[i], remaining);
                remaining -= used;
                var surplus = available[i] - used;
                var toStore = ice ? 0 : Math.Min(surplus, room - charged);
                charged += toStore;
                chargePart[i] = toStore;
                output[i][h] = used + toStore;
                dumped[i][h] = surplus - toStore;
            }
            for (var k = 0; k < dispatchable.Length; k++)
            {
                if (k == storagePosition && mayDischarge && remaining > 0)
                {
                    discharged = Math.Min(Math.Min(power, ice ? stored / HoursUntil(hourOfDay, window.From) : stored), remaining);
                    remaining -= discharged;
                }
                var i = dispatchable[k];
                if (available[i] <= 0)
                {
                    continue;
                }
                var charger = IsCharger(units[i], k, storagePosition, ice, cooling) && mayCharge;
                var need = Math.Min(available[i], remaining);
                var minimum = units[i].Unit.MinLoad * available[i];
                if (need > 0 && need >= minimum)
                {
                    output[i][h] = need;
                    remaining -= need;
                }
                else if (charger && minimum <= need + (room - charged) && (need > 0 || room - charged > 0))
                {
                    var run = Math.Max(minimum, need);
                    if (run <= 0)
                    {
                        continue;
                    }
                    output[i][h] = run;
                    chargePart[i] = run - need;
                    charged += run - need;
                    remaining -= need;
                }
            }
            if (storagePosition == dispatchable.Length && mayDischarge && remaining > 0 && discharged == 0)
            {
                discharged = Math.Min(Math.Min(power, stored), remaining);
                remaining -= discharged;
            }
            // running chargers fill the store with their spare capacity
            if (mayCharge)
            {
                for (var k = 0; k < dispatchable.Length; k++)
                {
                    var i = dispatchable[k];
                    if (output[i][h] <= 0 || !IsCharger(units[i], k, storagePosition, ice, cooling))
                    {
                        continue;
                    }
                    var extra = Math.Min(available[i] - output[i][h], room - charged);
                    if (extra > 0)
                    {
                        output[i][h] += extra;
                        chargePart[i] += extra;
                        charged += extra;
                    }
                }
            }
            // never charge and discharge in the same hour: net them
            if (charged > 0 && discharged > 0)
            {
                var net = Math.Min(charged, discharged);
                charged -= net;
                discharged -= net;
            }
            var loss = stored * lossPerHour;
            stored = Math.Clamp(stored - loss + charged - discharged, 0, capacity);
            charge[h] = charged;
            discharge[h] = discharged;
            content[h] = stored;
            storageLoss[h] = loss;
            unmet[h] = remaining > 1e-9 ? remaining : 0;

            for (var i = 0; i < count; i++)
            {
                Account(units[i], output[i][h], chargePart[i], performance[i][h], iceFactor, out fuel[i][h], out electricity[i][h], out chp[i][h]);
            }
        }
        // report units in the scenario's order
        var order = scenario.Units.Select(u => units.IndexOf(u)).ToArray();
        return new DispatchResult
        {
            Units = scenario.Units,
            Output_kw = [.. order.Select(i => output[i])],
            Fuel_kw = [.. order.Select(i => fuel[i])],
            Electricity_kw = [.. order.Select(i => electricity[i])],
            ChpElectricity_kw = [.. order.Select(i => chp[i])],
            Dumped_kw = [.. order.Select(i => dumped[i])],
            Performance = [.. order.Select(i => performance[i])],
            StorageCharge_kw = charge,
            StorageDischarge_kw = discharge,
            StorageContent_kwh = content,
            StorageLoss_kw = storageLoss,
            Unmet_kw = unmet,
        };
    }

    /// <summary>Hours left before the charging window opens again: an ice store spreads its content over them, keeping some for the afternoon peak.</summary>
    private static double HoursUntil(int hourOfDay, int windowStart) => Math.Max(1, ((windowStart - hourOfDay) % 24 + 24) % 24);

    private static bool IsCharger(ResolvedUnit unit, int position, int storagePosition, bool ice, bool cooling) =>
        ice ? unit.Unit.Type is UnitType.Chiller or UnitType.FreeCooling : !cooling && position < storagePosition;

    private static double Available(ResolvedUnit unit, DispatchConditions c, int h, int month, bool cooling, double[] performance)
    {
        var u = unit.Unit;
        performance[h] = double.NaN;
        if (!unit.RunsInMonth(month))
        {
            return 0;
        }
        switch (u.Type)
        {
            case UnitType.SolarThermal:
                return UnitPerformance.SolarOutput_kw(u, c.Ghi_w_per_m2[h], c.Outdoor_c[h], 0.5 * (c.Supply_c[h] + c.Return_c[h]));
            case UnitType.HeatPump:
                performance[h] = UnitPerformance.HeatPumpCop(u, c.Supply_c[h], UnitPerformance.Source_c(u, c.Outdoor_c[h]));
                return u.Capacity_kw;
            case UnitType.Chiller:
                performance[h] = UnitPerformance.ChillerEer(u, c.Supply_c[h], c.Outdoor_c[h]);
                return u.Capacity_kw;
            case UnitType.FreeCooling:
                var source = (u.Source ?? HeatPumpSource.Water) == HeatPumpSource.OutdoorAir ? c.Outdoor_c[h] : u.SourceTemperature_c ?? 12;
                return source <= c.Supply_c[h] - 1 ? u.Capacity_kw : 0;
            default:
                return u.Capacity_kw;
        }
    }

    private static void Account(ResolvedUnit unit, double output, double chargePart, double performance, double iceFactor,
        out double fuel, out double electricity, out double chpElectricity)
    {
        fuel = 0;
        electricity = 0;
        chpElectricity = 0;
        if (output <= 0)
        {
            return;
        }
        switch (unit.Unit.Type)
        {
            case UnitType.HeatPump:
                electricity = output / performance;
                fuel = electricity;
                break;
            case UnitType.Chiller:
                electricity = (output - chargePart) / performance + chargePart / (performance * iceFactor);
                fuel = electricity;
                break;
            case UnitType.ElectricBoiler:
                electricity = output / unit.Efficiency;
                fuel = electricity;
                break;
            case UnitType.GasChp or UnitType.BiomassChp:
                fuel = output / unit.Efficiency;
                chpElectricity = fuel * unit.ElectricEfficiency;
                break;
            case UnitType.SolarThermal or UnitType.WasteHeat or UnitType.Geothermal or UnitType.FreeCooling:
                break;
            case UnitType.AbsorptionChiller:
                fuel = unit.Fuel == Fuel.None ? 0 : output / unit.Efficiency;
                break;
            default:
                fuel = output / unit.Efficiency;
                break;
        }
    }

    private static double[][] Jagged(int rows, int columns)
    {
        var a = new double[rows][];
        for (var i = 0; i < rows; i++)
        {
            a[i] = new double[columns];
        }
        return a;
    }
}
