using System.Diagnostics;
using Socle.Modules.Heat.Demand;
using Socle.Modules.Heat.Dispatch;
using Socle.Modules.Heat.Fluids;
using Socle.Modules.Heat.Hydraulics;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Weather;
using Socle.Platform;

namespace Socle.Modules.Heat.Simulation;

public sealed class SimulationOptions
{
    public FrictionModel Friction { get; init; } = FrictionModel.Colebrook;

    /// <summary>How many blocks of hours run in parallel (each warm-starts from its own previous hour). Default: the cores.</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Reports hours done (0 … 8760).</summary>
    public IProgress<long>? Progress { get; init; }

    /// <summary>Newton iterations allowed per hour before the hour is declared not converged.</summary>
    public int MaxNewtonIterations { get; init; } = 50;
}

/// <summary>The network's hourly aggregates (one value per hour of the year).</summary>
public sealed class HourlySeries
{
    public HourlySeries(int hours)
    {
        Outdoor_c = new double[hours];
        Supply_c = new double[hours];
        Return_c = new double[hours];
        Demand_kw = new double[hours];
        SupplyLoss_kw = new double[hours];
        ReturnLoss_kw = new double[hours];
        PlantLoad_kw = new double[hours];
        Flow_kg_per_s = new double[hours];
        PumpHead_bar = new double[hours];
        Pump_kw = new double[hours];
        WorstArrival_c = new double[hours];
    }

    public double[] Outdoor_c { get; }

    /// <summary>Supply temperature leaving the plant.</summary>
    public double[] Supply_c { get; }

    /// <summary>Return temperature arriving at the plant.</summary>
    public double[] Return_c { get; }

    /// <summary>Heat (cold) delivered to substations.</summary>
    public double[] Demand_kw { get; }

    public double[] SupplyLoss_kw { get; }

    public double[] ReturnLoss_kw { get; }

    /// <summary>Heat the plant must put in: deliveries plus losses (ṁ·c_p·(T_supply − T_return) at the plant).</summary>
    public double[] PlantLoad_kw { get; }

    public double[] Flow_kg_per_s { get; }

    public double[] PumpHead_bar { get; }

    public double[] Pump_kw { get; }

    /// <summary>The least favourable supply temperature reaching a substation with demand (lowest for heat, highest for cold).</summary>
    public double[] WorstArrival_c { get; }
}

public sealed record SubstationYear(string Id, string Name, double Delivered_mwh, double Peak_kw, double WorstArrival_c, int HoursBelowService);

public sealed record PipeYear(string Id, double Loss_mwh, double MaxVelocity_m_per_s, double Length_m, int Dn);

/// <summary>A year of a network: hourly physics, dispatch, and per-element totals.</summary>
public sealed class YearResult
{
    public required CompiledScenario Scenario { get; init; }

    public required WeatherYear Weather { get; init; }

    public required HourlySeries Hourly { get; init; }

    public required DispatchResult Dispatch { get; init; }

    public required IReadOnlyList<SubstationYear> Substations { get; init; }

    public required IReadOnlyList<PipeYear> Pipes { get; init; }

    public required IReadOnlyList<string> Warnings { get; init; }

    public required double Seconds { get; init; }

    public required int CoreNodes { get; init; }

    public required int NewtonIterations { get; init; }

    /// <summary>Hydraulic solves in all (an hour takes a second one when the supply temperatures reaching substations moved).</summary>
    public required int Passes { get; init; }
}

/// <summary>
/// The year simulation: 8760 hourly steady states of the network (demand from weather, substation flows, hydraulics on
/// the meshed network, heat losses, pump) computed in parallel blocks of hours, then the merit-order dispatch of the
/// plant over the year (sequential: the storage carries from hour to hour).
/// </summary>
public static class YearSimulation
{
    /// <summary>Supply below this temperature at a substation (heat networks) counts as a service failure; above it for cold.</summary>
    public const double ServiceMargin_k = 5;

    public static Result<YearResult> Run(CompiledScenario scenario, WeatherYear weather, SimulationOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SimulationOptions();
        var clock = Stopwatch.StartNew();
        var s = scenario.Scenario;
        var hours = WeatherYear.Hours;
        if (weather.Temperature_c.Length != hours)
        {
            return Error.Validation("weather", $"missing weather: {weather.Temperature_c.Length} hours, {hours} needed");
        }
        var profiles = new LoadProfiles(weather, s.Year);
        var cooling = scenario.Cooling;
        var t = s.Temperatures;
        var design = t.DesignOutdoor_c ?? (cooling ? 32 : weather.Design_c);
        var hourly = new HourlySeries(hours);
        for (var h = 0; h < hours; h++)
        {
            hourly.Outdoor_c[h] = weather.Temperature_c[h];
            hourly.Supply_c[h] = SupplyTemperature(t, design, weather.Temperature_c[h], cooling);
        }

        var subs = scenario.Substations;
        var subCount = subs.Count;
        var heatingShape = subs.Select(x => profiles.Heating(x.Substation.Subscriber)).ToArray();
        var hotWaterShape = subs.Select(x => profiles.HotWater(x.Substation.Subscriber)).ToArray();
        var coolingShape = subs.Select(x => profiles.Cooling(x.Substation.Subscriber)).ToArray();

        var blocks = Math.Clamp(options.Parallelism, 1, 16);
        var blockLength = (hours + blocks - 1) / blocks;
        var errors = new Error?[blocks];
        var errorHour = new int[blocks];
        var delivered = new double[blocks][];
        var peak = new double[blocks][];
        var worstArrival = new double[blocks][];
        var belowService = new int[blocks][];
        var pipeLoss = new double[blocks][];
        var pipeVelocity = new double[blocks][];
        var iterations = new int[blocks];
        var passes = new int[blocks];
        var coreNodes = 0;
        long done = 0;
        var fluid = TabulatedFluid.Water;
        var pipeCount = scenario.Network.PipeCount;
        var nodeCount = scenario.Network.NodeCount;
        var ground = t.Ground_c + 273.15;
        var plantPressure = s.Network.PlantPressure_bar * 1e5;
        var sign = cooling ? -1.0 : 1.0;
        var meanReturn = subCount > 0 ? subs.Average(x => x.Return_c) : t.Return_c;
        // Newton stops when no flow moves by more than a millionth of the design flow
        var designFlow = subs.Sum(x => x.Substation.Subscribed_kw) * 1000 / (4190 * Math.Max(ServiceMargin_k, Math.Abs(t.SupplyDesign_c - t.Return_c)));
        var tolerance = Math.Max(1e-9, 1e-6 * designFlow);
        // Bypass: each substation keeps a share of its design flow circulating, so that its supply stays hot in summer.
        var cpNominal = fluid.HeatCapacity_j_per_kg_k(0.5 * (t.SupplyDesign_c + t.Return_c) + 273.15, 5e5);
        var minimumFlow = subs.Select(x =>
        {
            var power = x.Substation.Subscribed_kw > 0 ? x.Substation.Subscribed_kw
                : (x.Substation.Heating_mwh + x.Substation.HotWater_mwh + x.Substation.Cooling_mwh) * 1000 / 2000;
            return s.Network.BypassShare * power * 1000 / (cpNominal * Math.Max(ServiceMargin_k, Math.Abs(t.SupplyDesign_c - x.Return_c)));
        }).ToArray();

        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = blocks, CancellationToken = ct }, block =>
        {
            var network = new HourlyNetwork(scenario);
            Interlocked.Exchange(ref coreNodes, network.CoreNodes);
            var state = new HourState(nodeCount, pipeCount);
            var arrival = new double[subCount];
            var flows = new double[subCount];
            var demand = new double[subCount];
            var nodeFlow = new double[nodeCount];
            delivered[block] = new double[subCount];
            peak[block] = new double[subCount];
            worstArrival[block] = Enumerable.Repeat(cooling ? double.MinValue : double.MaxValue, subCount).ToArray();
            belowService[block] = new int[subCount];
            pipeLoss[block] = new double[pipeCount];
            pipeVelocity[block] = new double[pipeCount];
            var start = block * blockLength;
            var end = Math.Min(hours, start + blockLength);
            for (var h = start; h < end; h++)
            {
                if (ct.IsCancellationRequested)
                {
                    return;
                }
                var supply_c = hourly.Supply_c[h];
                var supply_k = supply_c + 273.15;
                double demandSum = 0;
                for (var i = 0; i < subCount; i++)
                {
                    var sub = subs[i].Substation;
                    demand[i] = cooling
                        ? 1000 * sub.Cooling_mwh * coolingShape[i][h]
                        : 1000 * (sub.Heating_mwh * heatingShape[i][h] + sub.HotWater_mwh * hotWaterShape[i][h]);
                    demandSum += demand[i];
                    // guess: last hour's arrival, moved as much as the plant's supply temperature moved
                    arrival[i] = h == start ? supply_c - sign * 1.0 : arrival[i] + supply_c - hourly.Supply_c[h - 1];
                }
                var cp = fluid.HeatCapacity_j_per_kg_k(0.5 * (supply_k + meanReturn + 273.15), 5e5);
                var density = fluid.Density_kg_per_m3(supply_k, 5e5);
                var viscosity = fluid.Viscosity_pa_s(supply_k, 5e5);
                Error? error = null;
                for (var pass = 0; pass < 4; pass++)
                {
                    Array.Clear(state.Withdrawal_kg_per_s);
                    Array.Fill(state.ReturnInjection_k, double.NaN);
                    for (var i = 0; i < subCount; i++)
                    {
                        // flow for the heat asked with the temperature difference available, never below the bypass flow
                        var dt = Math.Max(ServiceMargin_k, sign * (arrival[i] - subs[i].Return_c));
                        flows[i] = Math.Max(demand[i] * 1000 / (cp * dt), minimumFlow[i]);
                        var returnK = arrival[i] + 273.15 - sign * demand[i] * 1000 / (cp * flows[i]);
                        var node = subs[i].Node;
                        var before = state.Withdrawal_kg_per_s[node];
                        var after = before + flows[i];
                        var injected = double.IsNaN(state.ReturnInjection_k[node]) ? 0 : state.ReturnInjection_k[node];
                        state.ReturnInjection_k[node] = after > 0 ? (before * injected + flows[i] * returnK) / after : returnK;
                        state.Withdrawal_kg_per_s[node] = after;
                    }
                    error = network.SolveFlowsAndSupply(state, supply_k, ground, meanReturn + 273.15, density, viscosity, cp, options.Friction, plantPressure, tolerance, options.MaxNewtonIterations);
                    if (error is not null)
                    {
                        break;
                    }
                    var change = 0.0;
                    for (var i = 0; i < subCount; i++)
                    {
                        var now = state.Supply_k[subs[i].Node] - 273.15;
                        change = Math.Max(change, Math.Abs(now - arrival[i]));
                        arrival[i] = now;
                    }
                    iterations[block] += state.Iterations;
                    passes[block]++;
                    // the arrival temperatures of the previous hour were the guess: a second pass only when they moved
                    if (change < 0.5)
                    {
                        break;
                    }
                }
                if (error is not null)
                {
                    errors[block] = error;
                    errorHour[block] = h;
                    return;
                }
                // each substation takes exactly its heat from the water that actually reached it: its return temperature
                // follows (the flows stay those of the last pass)
                Array.Fill(state.ReturnInjection_k, double.NaN);
                for (var i = 0; i < subCount; i++)
                {
                    var node = subs[i].Node;
                    var returnK = arrival[i] + 273.15 - sign * demand[i] * 1000 / (cp * flows[i]);
                    if (double.IsNaN(state.ReturnInjection_k[node]))
                    {
                        state.ReturnInjection_k[node] = returnK;
                        nodeFlow[node] = flows[i];
                    }
                    else
                    {
                        state.ReturnInjection_k[node] = (nodeFlow[node] * state.ReturnInjection_k[node] + flows[i] * returnK) / (nodeFlow[node] + flows[i]);
                        nodeFlow[node] += flows[i];
                    }
                }
                network.FinishHour(state, ground, density, viscosity, cp, options.Friction);
                // hourly aggregates
                double supplyLoss = 0, returnLoss = 0, flow = 0;
                for (var b = 0; b < pipeCount; b++)
                {
                    supplyLoss += state.SupplyLoss_w[b];
                    returnLoss += state.ReturnLoss_w[b];
                    var loss = (state.SupplyLoss_w[b] + state.ReturnLoss_w[b]) * sign;
                    pipeLoss[block][b] += loss / 1e6;
                    var v = Math.Abs(state.MassFlow_kg_per_s[b]) / (density * scenario.Network.Area_m2[b]);
                    pipeVelocity[block][b] = Math.Max(pipeVelocity[block][b], v);
                }
                for (var i = 0; i < subCount; i++)
                {
                    flow += flows[i];
                }
                var plantReturn = state.Return_k[scenario.PlantNode];
                var worst = cooling ? double.MinValue : double.MaxValue;
                for (var i = 0; i < subCount; i++)
                {
                    delivered[block][i] += demand[i] / 1000;
                    peak[block][i] = Math.Max(peak[block][i], demand[i]);
                    if (demand[i] > 0)
                    {
                        worst = cooling ? Math.Max(worst, arrival[i]) : Math.Min(worst, arrival[i]);
                        worstArrival[block][i] = cooling ? Math.Max(worstArrival[block][i], arrival[i]) : Math.Min(worstArrival[block][i], arrival[i]);
                        if (sign * (arrival[i] - subs[i].Return_c) < ServiceMargin_k + 1e-9)
                        {
                            belowService[block][i]++;
                        }
                    }
                }
                hourly.Demand_kw[h] = demandSum;
                hourly.SupplyLoss_kw[h] = sign * supplyLoss / 1000;
                hourly.ReturnLoss_kw[h] = sign * returnLoss / 1000;
                hourly.Return_c[h] = flow > 0 ? plantReturn - 273.15 : meanReturn;
                hourly.PlantLoad_kw[h] = flow * cp * sign * (supply_k - plantReturn) / 1000;
                hourly.Flow_kg_per_s[h] = flow;
                hourly.WorstArrival_c[h] = worst is double.MaxValue or double.MinValue ? supply_c : worst;
                var (drop, _) = network.WorstDrop(state);
                var head = 2 * drop + s.Network.SubstationDifferentialPressure_bar * 1e5;
                hourly.PumpHead_bar[h] = flow > 0 ? head / 1e5 : 0;
                hourly.Pump_kw[h] = flow > 0 ? head * flow / density / s.Network.PumpEfficiency / 1000 : 0;
                var reported = Interlocked.Increment(ref done);
                if (reported % 240 == 0 || reported == hours)
                {
                    options.Progress?.Report(reported);
                }
            }
        });
        ct.ThrowIfCancellationRequested();
        for (var b = 0; b < blocks; b++)
        {
            if (errors[b] is { } e)
            {
                var h = errorHour[b];
                return Error.Invalid(e.Code, $"hour {h} ({WeatherYear.HourLabel(h)}, outdoor {weather.Temperature_c[h]:0.0} °C): {e.Message}");
            }
        }

        var dispatch = MeritOrderDispatch.Run(scenario, new DispatchConditions(hourly.PlantLoad_kw, hourly.Outdoor_c, hourly.Supply_c, hourly.Return_c, weather.Ghi_w_per_m2));
        var substations = subs.Select((x, i) => new SubstationYear(x.Substation.Id, x.Substation.Name,
            delivered.Sum(d => d[i]), peak.Max(p => p[i]),
            cooling ? worstArrival.Max(w => w[i]) : worstArrival.Min(w => w[i]), belowService.Sum(c => c[i]))).ToList();
        var pipes = scenario.Pipes.Select((p, b) => new PipeYear(p.Pipe.Id, pipeLoss.Sum(l => l[b]), pipeVelocity.Max(v => v[b]), p.Length_m, p.Dn)).ToList();
        var warnings = new List<string>();
        foreach (var p in pipes.Where(p => p.MaxVelocity_m_per_s > 3).Take(10))
        {
            warnings.Add($"pipe '{p.Id}': velocity reaches {p.MaxVelocity_m_per_s:0.0} m/s at peak (above 3 m/s: noise and erosion; a larger DN is needed)");
        }
        foreach (var sub in substations.Where(x => x.HoursBelowService > 0).Take(10))
        {
            warnings.Add($"substation '{sub.Id}': the supply reaching it is within {ServiceMargin_k} K of its return temperature for {sub.HoursBelowService} h (worst {sub.WorstArrival_c:0.0} °C)");
        }
        var unmetHours = dispatch.Unmet_kw.Count(u => u > 0);
        if (unmetHours > 0)
        {
            warnings.Add($"unmet demand in {unmetHours} h, {dispatch.Unmet_kw.Sum() / 1000:0.0} MWh in all, {dispatch.Unmet_kw.Max():0} kW at worst: the plant is too small");
        }
        var maxHead = hourly.PumpHead_bar.Max();
        if (maxHead > 16)
        {
            warnings.Add($"the pump head reaches {maxHead:0.0} bar at peak: pipes are undersized");
        }
        return new YearResult
        {
            Scenario = scenario,
            Weather = weather,
            Hourly = hourly,
            Dispatch = dispatch,
            Substations = substations,
            Pipes = pipes,
            Warnings = warnings,
            Seconds = clock.Elapsed.TotalSeconds,
            CoreNodes = coreNodes,
            NewtonIterations = iterations.Sum(),
            Passes = passes.Sum(),
        };
    }

    /// <summary>
    /// The heating curve: supply temperature linear in the outdoor temperature between the design point and the mild point,
    /// constant beyond them (the mild value keeps hot water possible in summer). Cooling networks use the same law with a
    /// hot design point.
    /// </summary>
    public static double SupplyTemperature(OperatingTemperatures t, double design_c, double outdoor_c, bool cooling)
    {
        var mild = cooling ? (t.MildOutdoor_c == 15 ? 20 : t.MildOutdoor_c) : t.MildOutdoor_c;
        if (Math.Abs(mild - design_c) < 1e-9)
        {
            return t.SupplyDesign_c;
        }
        var f = Math.Clamp((outdoor_c - design_c) / (mild - design_c), 0, 1);
        return t.SupplyDesign_c + f * (t.SupplyMild_c - t.SupplyDesign_c);
    }
}
