using Socle.Modules.Heat.Scenarios;
using Socle.Platform;

namespace Socle.Modules.Heat.Import;

/// <summary>
/// Turns a pandapipes network into a scenario to complete: junctions become nodes (geodata as coordinates), pipes keep
/// their length, inner diameter, roughness and heat-loss coefficient (α·π·D), the first external grid becomes the plant,
/// each sink a substation. pandapipes states flows, not energies, so each sink's flow is read as its design flow at
/// the scenario's design temperature difference, and its annual heat as 1,800 full-load hours of that power; the plant
/// gets one gas boiler covering 110 % of the subscribed power and of the pipes' design losses. The scenario lists these assumptions.
/// </summary>
public static class PandapipesToScenario
{
    public const double FullLoadHours = 1800;

    public static Result<Scenario> Convert(PandapipesNet net, string id, string? name = null)
    {
        if (!CompiledScenario.IsValidId(id))
        {
            return Error.Validation("id", "must be 1 to 64 lowercase letters, digits or dashes");
        }
        var grid = net.ExtGrids.FirstOrDefault(e => e.InService);
        if (grid is null)
        {
            return Error.Validation("ext_grid", "the network has no external grid in service: nothing to make the plant of");
        }
        var junctions = net.Junctions.Where(j => j.InService).ToList();
        var ids = junctions.ToDictionary(j => j.Index, PandapipesNet.JunctionId);
        var supply_c = grid.T_k - 273.15;
        var return_c = Math.Max(supply_c - 30, 20);
        var nodes = junctions.Select(j => new NetworkNode { Id = ids[j.Index], X_m = j.X ?? j.Index * 50.0, Y_m = j.Y ?? 0, Height_m = j.Height_m }).ToList();
        var pipes = net.Pipes.Where(p => p.InService && ids.ContainsKey(p.From) && ids.ContainsKey(p.To)).Select(p => new NetworkPipe
        {
            Id = PandapipesNet.PipeId(p),
            From = ids[p.From],
            To = ids[p.To],
            Length_m = p.Length_km * 1000,
            InnerDiameter_m = p.Diameter_m,
            HeatLoss_w_per_m_k = Math.Max(p.Alpha_w_per_m2k * Math.PI * p.Diameter_m, 1e-6),
            Roughness_mm = p.K_mm,
        }).ToList();
        var substations = new List<Substation>();
        foreach (var sink in net.Sinks.Where(s => s.InService && ids.ContainsKey(s.Junction)))
        {
            var kw = sink.Mdot_kg_per_s * sink.Scaling * 4.19 * (supply_c - return_c);
            substations.Add(new Substation
            {
                Id = $"sink-{sink.Index}",
                Name = $"Sink {sink.Index}",
                Node = ids[sink.Junction],
                Subscribed_kw = Math.Round(kw, 1),
                Heating_mwh = Math.Round(kw * FullLoadHours / 1000 * 0.85, 1),
                HotWater_mwh = Math.Round(kw * FullLoadHours / 1000 * 0.15, 1),
            });
        }
        // the plant must also cover what the pipes lose at design (supply and return twins, 10 °C soil)
        var designLoss_kw = pipes.Sum(p => p.HeatLoss_w_per_m_k!.Value * p.Length_m!.Value * ((supply_c - 10) + (return_c - 10))) / 1000;
        var total = substations.Sum(s => s.Subscribed_kw) + designLoss_kw;
        return new Scenario
        {
            Id = id,
            Name = name ?? $"Import pandapipes — {net.Name}",
            Description = $"Imported from a pandapipes network ({junctions.Count} junctions, {pipes.Count} pipes, {substations.Count} sinks).",
            Temperatures = new OperatingTemperatures { SupplyDesign_c = supply_c, SupplyMild_c = Math.Max(supply_c - 10, return_c + 10), Return_c = return_c },
            Network = new NetworkLayout { Nodes = nodes, Pipes = pipes, PlantNode = ids[grid.Junction], PlantPressure_bar = Math.Max(grid.P_bar, 1) },
            Substations = substations,
            Production = [new ProductionUnit { Id = "gas", Name = "Gas boiler (to complete)", Type = UnitType.GasBoiler, Capacity_kw = Math.Max(10, Math.Round(total * 1.1)) }],
            Assumptions =
            [
                $"Imported from pandapipes: each sink's mass flow is its design flow at {supply_c - return_c:0} K of temperature difference.",
                $"Annual heat of each sink: {FullLoadHours:0} full-load hours of that power, 85 % space heating and 15 % hot water.",
                $"Production: one gas boiler at 110 % of the subscribed power plus the pipes' design losses ({designLoss_kw:0} kW), to replace by the real plant.",
                "Pipes keep pandapipes' heat-transfer coefficient (α·π·D per metre) and are treated as buried twins.",
            ],
        };
    }
}
