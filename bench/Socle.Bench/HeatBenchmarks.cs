using BenchmarkDotNet.Attributes;
using Socle.Modules.Heat.Dispatch;
using Socle.Modules.Heat.Fluids;
using Socle.Modules.Heat.Hydraulics;
using Socle.Modules.Heat.Import;
using Socle.Modules.Heat.Indicators;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Simulation;
using Socle.Modules.Heat.Weather;

namespace Socle.Bench;

/// <summary>
/// The year simulation of a generated meshed network (street grid, every block a loop) with 1,000 substations: 8,760 hourly
/// steady states (hydraulics on the meshed core, trees by accumulation, heat losses both ways, pump) in parallel blocks,
/// then the merit-order dispatch and the indicators. Target: under 5 s on this 2-core machine.
/// </summary>
[MemoryDiagnoser]
public class HeatYearBenchmarks
{
    private CompiledScenario _scenario = default!;
    private WeatherYear _weather = default!;

    [Params(100, 1000)]
    public int Substations { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scenario = CompiledScenario.Compile(SyntheticNetwork.Generate(Substations)).Value;
        _weather = WeatherSource.Typical("rouen")!;
    }

    [Benchmark(Description = "8760 h: hydraulics, heat, pump, dispatch, indicators")]
    public double Year()
    {
        var year = YearSimulation.Run(_scenario, _weather).Value;
        return IndicatorCalculator.Compute(year).Delivered_mwh;
    }

    [Benchmark(Description = "8760 h on one core")]
    public double YearOneCore()
    {
        var year = YearSimulation.Run(_scenario, _weather, new SimulationOptions { Parallelism = 1 }).Value;
        return IndicatorCalculator.Compute(year).Delivered_mwh;
    }
}

/// <summary>Parts of the year on their own: the dispatch over 8,760 hours, and one hour of the 1,000-substation network.</summary>
[MemoryDiagnoser]
public class HeatPartsBenchmarks
{
    private CompiledScenario _scenario = default!;
    private DispatchConditions _conditions = default!;
    private HourlyNetwork _network = default!;
    private HourState _state = default!;

    [GlobalSetup]
    public void Setup()
    {
        _scenario = CompiledScenario.Compile(SyntheticNetwork.Generate(1000)).Value;
        var year = YearSimulation.Run(_scenario, WeatherSource.Typical("rouen")!).Value;
        var h = year.Hourly;
        _conditions = new DispatchConditions(h.PlantLoad_kw, h.Outdoor_c, h.Supply_c, h.Return_c, year.Weather.Ghi_w_per_m2);
        _network = new HourlyNetwork(_scenario);
        _state = new HourState(_scenario.Network.NodeCount, _scenario.Network.PipeCount);
        foreach (var s in _scenario.Substations)
        {
            _state.Withdrawal_kg_per_s[s.Node] += s.Substation.Subscribed_kw * 0.5 / (4.19 * 30);
            _state.ReturnInjection_k[s.Node] = 328.15;
        }
    }

    [Benchmark(Description = "dispatch, 8760 h, 3 units + storage")]
    public double Dispatch() => MeritOrderDispatch.Run(_scenario, _conditions).Unmet_kw.Sum();

    [Benchmark(Description = "one hour, cold start (Newton from zero loop flows)")]
    public double HourCold()
    {
        _state.Warm = false;
        Array.Clear(_state.Colebrook);
        _network.Solve(_state, 363.15, 283.15, 328.15, 965, 3.2e-4, 4190, FrictionModel.Colebrook, 8e5, 1e-3);
        return _state.Pressure_pa[1];
    }

    [Benchmark(Description = "one hour, warm (the next hour of a year)")]
    public double HourWarm()
    {
        _network.Solve(_state, 363.15, 283.15, 328.15, 965, 3.2e-4, 4190, FrictionModel.Colebrook, 8e5, 1e-3);
        return _state.Pressure_pa[1];
    }
}

/// <summary>The general steady-state solver on pandapipes' OpenModelica networks (IAPWS water, temperature-dependent properties).</summary>
[MemoryDiagnoser]
public class HeatSteadyStateBenchmarks
{
    private SteadyStateProblem _problem = default!;
    private SteadyStateSolver _solver = default!;

    [Params("delta", "heights", "section_variation")]
    public string Network { get; set; } = "delta";

    [GlobalSetup]
    public void Setup()
    {
        var root = FindRoot();
        var net = PandapipesNet.Parse(File.ReadAllText(Path.Combine(root, "data", "heat", "pandapipes-reference", "heat_transfer_cases", Network + ".json"))).Value;
        _problem = net.ToProblem(Water.Instance, FrictionModel.Colebrook, PipeTemperatureLaw.FiniteVolume).Value.Problem;
        _solver = new SteadyStateSolver(_problem.Network, [.. _problem.FixedPressures.Select(f => f.Node)]);
    }

    [Benchmark(Description = "steady state (hydraulics + heat, properties iterated)")]
    public double Solve() => _solver.Solve(_problem).Value.Pressure_pa[1];

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Socle.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
