using System.Text.RegularExpressions;
using Socle.Modules.Heat.Hydraulics;
using Socle.Modules.Heat.Network;
using Socle.Platform;

namespace Socle.Modules.Heat.Scenarios;

/// <summary>A production unit with every default resolved.</summary>
public sealed record ResolvedUnit(
    ProductionUnit Unit, Fuel Fuel, EnrrClass Enrr, double Efficiency, double ElectricEfficiency, int Merit, bool MustTake,
    FuelFactors Factors, double? Lhv_kwh_per_t)
{
    public string Id => Unit.Id;

    public bool RunsInMonth(int month) => Unit.Months.Count == 0 || Unit.Months.Contains(month + 1);
}

/// <summary>A pipe with its geometry and heat-loss coefficients resolved.</summary>
public sealed record ResolvedPipe(NetworkPipe Pipe, double Length_m, double Inner_m, int Dn, double U1_w_per_m_k, double Coupling, double Roughness_m, double Cost_eur);

/// <summary>A substation with its node index.</summary>
public sealed record ResolvedSubstation(Substation Substation, int Node, double Return_c);

/// <summary>
/// A scenario checked and turned into what the simulation needs: the supply network on arrays, resolved units, pipes
/// and substations. Every error names its element (<c>pipes[P12].length_m: must be a positive number</c>), and all
/// errors are reported at once.
/// </summary>
public sealed partial class CompiledScenario
{
    private CompiledScenario(Scenario scenario, FlowNetwork network, int plant, IReadOnlyList<ResolvedPipe> pipes,
        IReadOnlyList<ResolvedSubstation> substations, IReadOnlyList<ResolvedUnit> units)
    {
        Scenario = scenario;
        Network = network;
        PlantNode = plant;
        Pipes = pipes;
        Substations = substations;
        Units = units;
    }

    public Scenario Scenario { get; }

    public FlowNetwork Network { get; }

    public int PlantNode { get; }

    public IReadOnlyList<ResolvedPipe> Pipes { get; }

    public IReadOnlyList<ResolvedSubstation> Substations { get; }

    public IReadOnlyList<ResolvedUnit> Units { get; }

    public bool Cooling => Scenario.Kind == NetworkKind.Cooling;

    /// <summary>Trench length of the network (supply pipes), for the linear heat density.</summary>
    public double TrenchLength_m => Pipes.Sum(p => p.Length_m);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,63}$")]
    private static partial Regex IdPattern();

    public static bool IsValidId(string id) => IdPattern().IsMatch(id);

    public static Result<CompiledScenario> Compile(Scenario s)
    {
        var checks = new Checks();
        if (s.Format != Scenario.CurrentFormat)
        {
            checks.Add("format", $"must be '{Scenario.CurrentFormat}'");
        }
        checks.That(IsValidId(s.Id), "id", "must be 1 to 64 lowercase letters, digits or dashes, starting with a letter or digit");
        checks.Require(s.Name, "name", 200);
        checks.Range(s.Year, "year", 1990, 2100);
        var t = s.Temperatures;
        var cooling = s.Kind == NetworkKind.Cooling;
        if (cooling)
        {
            checks.Range(t.SupplyDesign_c, "temperatures.supply_design_c", 0, 25);
            checks.Range(t.SupplyMild_c, "temperatures.supply_mild_c", 0, 25);
            checks.That(t.Return_c > Math.Max(t.SupplyDesign_c, t.SupplyMild_c) + 2, "temperatures.return_c", "must be at least 2 K above the cold supply temperature");
        }
        else
        {
            checks.Range(t.SupplyDesign_c, "temperatures.supply_design_c", 20, 180);
            checks.Range(t.SupplyMild_c, "temperatures.supply_mild_c", 15, 180);
            checks.That(t.Return_c < Math.Min(t.SupplyDesign_c, t.SupplyMild_c) - 5, "temperatures.return_c", "must be at least 5 K below the supply temperature");
        }
        checks.Range(t.Return_c, "temperatures.return_c", 0, 150);
        checks.Range(t.Ground_c, "temperatures.ground_c", -5, 30);
        checks.Range(t.MildOutdoor_c, "temperatures.mild_outdoor_c", -10, 30);

        // Network
        var layout = s.Network;
        var nodeIds = new HashSet<string>(StringComparer.Ordinal);
        var builder = new FlowNetworkBuilder();
        var coordinates = new Dictionary<string, NetworkNode>(StringComparer.Ordinal);
        foreach (var node in layout.Nodes)
        {
            if (string.IsNullOrWhiteSpace(node.Id))
            {
                checks.Add("network.nodes", "a node has no id");
                continue;
            }
            if (!nodeIds.Add(node.Id))
            {
                checks.Add($"nodes[{node.Id}]", "is defined twice");
                continue;
            }
            checks.That(double.IsFinite(node.X_m) && double.IsFinite(node.Y_m), $"nodes[{node.Id}].x_m", "coordinates must be numbers");
            builder.AddNode(node.Id, node.Height_m);
            coordinates[node.Id] = node;
        }
        if (layout.Nodes.Count == 0)
        {
            checks.Add("network.nodes", "the network has no node");
        }
        checks.That(nodeIds.Contains(layout.PlantNode), "network.plant_node", $"names node '{layout.PlantNode}', which does not exist");
        checks.Range(layout.PlantPressure_bar, "network.plant_pressure_bar", 1, 40);
        checks.Range(layout.SubstationDifferentialPressure_bar, "network.substation_differential_pressure_bar", 0.05, 5);
        checks.Range(layout.PumpEfficiency, "network.pump_efficiency", 0.1, 1);
        checks.Range(layout.Roughness_mm, "network.roughness_mm", 0, 5);
        checks.Range(layout.BypassShare, "network.bypass_share", 0, 0.5);
        checks.Range(layout.SoilConductivity_w_per_m_k, "network.soil_conductivity_w_per_m_k", 0.2, 5);

        var pipes = new List<ResolvedPipe>();
        var groundK = t.Ground_c + 273.15;
        foreach (var pipe in layout.Pipes)
        {
            var field = $"pipes[{pipe.Id}]";
            if (string.IsNullOrWhiteSpace(pipe.Id))
            {
                checks.Add("network.pipes", "a pipe has no id");
                continue;
            }
            double length;
            if (pipe.Length_m is { } given)
            {
                length = given;
            }
            else if (coordinates.TryGetValue(pipe.From, out var a) && coordinates.TryGetValue(pipe.To, out var b))
            {
                length = Math.Sqrt(Math.Pow(a.X_m - b.X_m, 2) + Math.Pow(a.Y_m - b.Y_m, 2));
                checks.That(length > 0, $"{field}.length_m", "is missing and the two nodes have the same coordinates");
            }
            else
            {
                length = double.NaN;
            }
            double inner, u1, coupling;
            int dn;
            if (pipe.Dn is { } size)
            {
                var catalogue = PipeCatalogue.Find(size);
                if (catalogue is null)
                {
                    checks.Add($"{field}.dn", $"DN{size} is not in the catalogue ({string.Join(", ", PipeCatalogue.Sizes.Select(x => x.Dn))})");
                    continue;
                }
                checks.That(pipe.Series is 1 or 2 or 3, $"{field}.series", "must be 1, 2 or 3");
                checks.Range(pipe.Depth_m, $"{field}.depth_m", 0.2, 5);
                inner = pipe.InnerDiameter_m ?? catalogue.Inner_m;
                (u1, coupling) = PipeCatalogue.PairLoss(catalogue, pipe.Series, pipe.Depth_m, layout.SoilConductivity_w_per_m_k);
                dn = size;
            }
            else if (pipe.InnerDiameter_m is { } d)
            {
                inner = d;
                dn = PipeCatalogue.Fit(d).Dn;
                u1 = pipe.HeatLoss_w_per_m_k ?? double.NaN;
                coupling = 0;
                checks.That(pipe.HeatLoss_w_per_m_k is not null, $"{field}.heat_loss_w_per_m_k", "is required when the pipe has no catalogue size (dn)");
            }
            else
            {
                checks.Add($"{field}.dn", "give a catalogue size (dn) or an inner diameter (inner_diameter_m)");
                continue;
            }
            if (pipe.HeatLoss_w_per_m_k is { } own)
            {
                u1 = own;
            }
            var roughness = (pipe.Roughness_mm ?? layout.Roughness_mm) / 1000;
            checks.Range(roughness * 1000, $"{field}.roughness_mm", 0, 5);
            builder.AddPipe(pipe.Id, pipe.From, pipe.To, length, inner, roughness, u1, groundK);
            var cost = pipe.Existing ? 0 : length * (s.Economics.PipeCostBase_eur_per_m + s.Economics.PipeCostPerDn_eur_per_m * dn);
            pipes.Add(new ResolvedPipe(pipe, length, inner, dn, u1, coupling, roughness, cost));
        }
        if (layout.Pipes.Count == 0 && layout.Nodes.Count > 1)
        {
            checks.Add("network.pipes", "the network has nodes but no pipe");
        }
        var built = builder.Build();
        if (!built.IsSuccess)
        {
            foreach (var (f, messages) in built.Error.Fields ?? new Dictionary<string, string[]>())
            {
                foreach (var m in messages)
                {
                    checks.Add(f, m);
                }
            }
        }

        // Substations
        var substations = new List<ResolvedSubstation>();
        var substationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sub in s.Substations)
        {
            var field = $"substations[{sub.Id}]";
            if (string.IsNullOrWhiteSpace(sub.Id) || !substationIds.Add(sub.Id))
            {
                checks.Add(field, string.IsNullOrWhiteSpace(sub.Id) ? "a substation has no id" : "is defined twice");
                continue;
            }
            checks.That(nodeIds.Contains(sub.Node), $"{field}.node", $"names node '{sub.Node}', which does not exist");
            checks.That(sub.Node != layout.PlantNode, $"{field}.node", "is the plant node; connect the substation to a node of the network");
            checks.NonNegative(sub.Subscribed_kw, $"{field}.subscribed_kw");
            checks.NonNegative(sub.Heating_mwh, $"{field}.heating_mwh");
            checks.NonNegative(sub.HotWater_mwh, $"{field}.hot_water_mwh");
            checks.NonNegative(sub.Cooling_mwh, $"{field}.cooling_mwh");
            checks.NonNegative(sub.Dwellings, $"{field}.dwellings");
            if (cooling)
            {
                checks.That(sub.Heating_mwh == 0 && sub.HotWater_mwh == 0, field, "a cooling network delivers cold: heating_mwh and hot_water_mwh must be 0");
            }
            else
            {
                checks.That(sub.Cooling_mwh == 0, $"{field}.cooling_mwh", "must be 0 on a heating network");
            }
            var ret = sub.Return_c ?? t.Return_c;
            if (sub.Return_c is { } own)
            {
                checks.That(cooling ? own > t.SupplyDesign_c + 2 : own < t.SupplyMild_c - 5, $"{field}.return_c",
                    cooling ? "must be above the cold supply temperature" : "must be at least 5 K below the supply temperature");
            }
            substations.Add(new ResolvedSubstation(sub, built.IsSuccess && nodeIds.Contains(sub.Node) ? built.Value.IndexOfNode(sub.Node) : -1, ret));
        }
        if (s.Substations.Count == 0)
        {
            checks.Add("substations", "the network has no substation");
        }

        // Production
        var units = new List<ResolvedUnit>();
        var unitIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in s.Production)
        {
            var field = $"production[{u.Id}]";
            if (string.IsNullOrWhiteSpace(u.Id) || !unitIds.Add(u.Id))
            {
                checks.Add(field, string.IsNullOrWhiteSpace(u.Id) ? "a unit has no id" : "is defined twice");
                continue;
            }
            if (UnitDefaults.IsCooling(u.Type) != cooling)
            {
                checks.Add($"{field}.type", cooling ? $"'{u.Type}' produces heat; a cooling network needs chillers or free cooling" : $"'{u.Type}' produces cold; this is a heating network");
            }
            if (u.Type == UnitType.SolarThermal)
            {
                checks.That(u.Area_m2 is > 0, $"{field}.area_m2", "solar thermal needs its collector area (a positive number)");
                checks.Range(u.Eta0, $"{field}.eta0", 0.1, 0.95);
                checks.Range(u.A1_w_per_m2_k, $"{field}.a1_w_per_m2_k", 0, 20);
            }
            checks.That(double.IsFinite(u.Capacity_kw) && u.Capacity_kw > 0, $"{field}.capacity_kw", "impossible capacity: must be a positive number of kW");
            checks.That(u.Capacity_kw <= 2_000_000, $"{field}.capacity_kw", "impossible capacity: above 2 GW for one unit");
            checks.Range(u.MinLoad, $"{field}.min_load", 0, 1);
            var fuel = u.Fuel ?? UnitDefaults.DefaultFuel(u);
            var efficiency = u.Efficiency ?? UnitDefaults.DefaultEfficiency(u.Type);
            var electric = u.ElectricEfficiency ?? UnitDefaults.DefaultElectricEfficiency(u.Type);
            if (u.Efficiency is not null)
            {
                checks.That(u.Efficiency > 0 && u.Efficiency <= (u.Type == UnitType.AbsorptionChiller ? 1.6 : 1.1), $"{field}.efficiency",
                    "must be above 0 and at most 1.1 (condensing boilers on the lower heating value)");
            }
            checks.That(efficiency + electric <= 1.1, $"{field}.electric_efficiency", "thermal plus electric efficiency cannot exceed 1.1");
            if (u.Type is UnitType.HeatPump or UnitType.Chiller)
            {
                if (u.CarnotEfficiency is { } eta)
                {
                    checks.Range(eta, $"{field}.carnot_efficiency", 0.1, 0.8);
                }
                if (u.Eer is { } eer)
                {
                    checks.Range(eer, $"{field}.eer", 1, 30);
                }
                if (u.SourceTemperature_c is { } st)
                {
                    checks.Range(st, $"{field}.source_temperature_c", -30, 90);
                }
                if (u.Type == UnitType.HeatPump && (u.Source ?? HeatPumpSource.OutdoorAir) != HeatPumpSource.OutdoorAir)
                {
                    checks.That(u.SourceTemperature_c is not null, $"{field}.source_temperature_c", "is required for a heat pump on ground, water or waste heat");
                }
            }
            foreach (var month in u.Months)
            {
                checks.Range(month, $"{field}.months", 1, 12);
            }
            checks.NonNegative(u.VariableCost_eur_per_mwh, $"{field}.variable_cost_eur_per_mwh");
            checks.NonNegative(u.Investment_eur, $"{field}.investment_eur");
            var factors = UnitDefaults.Factors(fuel, s.Carbon.Electricity_kg_per_kwh);
            if (u.DirectCo2_kg_per_kwh is not null || u.LifeCycleCo2_kg_per_kwh is not null)
            {
                factors = factors with
                {
                    Direct_kg_per_kwh = u.DirectCo2_kg_per_kwh ?? factors.Direct_kg_per_kwh,
                    LifeCycle_kg_per_kwh = u.LifeCycleCo2_kg_per_kwh ?? factors.LifeCycle_kg_per_kwh,
                    Source = "scenario",
                };
                checks.That((u.DirectCo2_kg_per_kwh ?? 0) is >= 0 and <= 1 && (u.LifeCycleCo2_kg_per_kwh ?? 0) is >= 0 and <= 1, $"{field}.life_cycle_co2_kg_per_kwh", "emission factors must be between 0 and 1 kg/kWh");
            }
            units.Add(new ResolvedUnit(u, fuel, u.Enrr ?? UnitDefaults.DefaultEnrr(u, fuel), efficiency, electric,
                u.MeritOrder ?? UnitDefaults.DefaultMerit(u.Type), UnitDefaults.MustTake(u.Type), factors, u.FuelLhv_kwh_per_t ?? factors.Lhv_kwh_per_t));
        }
        if (s.Production.Count == 0)
        {
            checks.Add("production", "the network has no production unit");
        }
        var storageIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var st in s.Storage)
        {
            var field = $"storage[{st.Id}]";
            if (string.IsNullOrWhiteSpace(st.Id) || !storageIds.Add(st.Id) || unitIds.Contains(st.Id))
            {
                checks.Add(field, "needs an id of its own");
                continue;
            }
            checks.That(double.IsFinite(st.Capacity_kwh) && st.Capacity_kwh > 0, $"{field}.capacity_kwh", "impossible capacity: must be a positive number of kWh");
            checks.That(double.IsFinite(st.Power_kw) && st.Power_kw > 0, $"{field}.power_kw", "impossible capacity: must be a positive number of kW");
            checks.That(st.Power_kw <= st.Capacity_kwh * 4, $"{field}.power_kw", "impossible capacity: the store would empty in less than 15 minutes");
            checks.Range(st.LossPercentPerDay, $"{field}.loss_percent_per_day", 0, 50);
            checks.That((st.Type == StorageType.Ice) == cooling, $"{field}.type", cooling ? "a cooling network stores cold as ice" : "a heating network stores hot water");
            checks.Range(st.ChargeFromHour, $"{field}.charge_from_hour", 0, 23);
            checks.Range(st.ChargeToHour, $"{field}.charge_to_hour", 0, 23);
            checks.Range(st.IceEerFactor, $"{field}.ice_eer_factor", 0.3, 1);
        }
        var e = s.Economics;
        checks.Range(e.DiscountRate, "economics.discount_rate", 0, 0.3);
        checks.Range(e.LifetimeYears, "economics.lifetime_years", 1, 80);
        checks.NonNegative(e.NetworkInvestment_eur, "economics.network_investment_eur");
        checks.NonNegative(e.Subsidies_eur, "economics.subsidies_eur");
        checks.NonNegative(e.ElectricityPrice_eur_per_mwh, "economics.electricity_price_eur_per_mwh");
        checks.NonNegative(e.GasPrice_eur_per_mwh, "economics.gas_price_eur_per_mwh");
        var c = s.Carbon;
        checks.Range(c.IndividualGasBoilerEfficiency, "carbon.individual_gas_boiler_efficiency", 0.5, 1.1);
        checks.Range(c.SubstationEfficiency, "carbon.substation_efficiency", 0.5, 1);
        checks.Range(c.ReferenceGas_kg_per_kwh, "carbon.reference_gas_kg_per_kwh", 0, 1);
        checks.Range(c.Electricity_kg_per_kwh, "carbon.electricity_kg_per_kwh", 0, 1);
        var r = s.Regulation;
        checks.Range(r.ConnectionThreshold_kw, "regulation.connection_threshold_kw", 0, 100_000);
        if (r.PriorityZone.Count > 0)
        {
            checks.That(r.PriorityZone.Count >= 3, "regulation.priority_zone", "a polygon needs at least 3 points");
            checks.That(r.PriorityZone.All(p => p.Count == 2 && p.All(double.IsFinite)), "regulation.priority_zone", "each point is [x_m, y_m]");
        }
        if (checks.Failed)
        {
            return checks.ToError();
        }

        var network = built.Value;
        var plant = network.IndexOfNode(layout.PlantNode);
        var unreachable = network.Unreachable([plant]);
        if (unreachable.Count > 0)
        {
            var names = unreachable.Take(5).Select(i => network.NodeIds[i]);
            return Error.Validation("network", $"disconnected network: node(s) {string.Join(", ", names)}" +
                (unreachable.Count > 5 ? $" and {unreachable.Count - 5} more" : "") + $" cannot be reached from the plant node '{layout.PlantNode}'");
        }
        return new CompiledScenario(s, network, plant, pipes, substations, units);
    }
}
