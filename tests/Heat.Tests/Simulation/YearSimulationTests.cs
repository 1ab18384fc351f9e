using Socle.Modules.Heat.Fluids;
using Socle.Modules.Heat.Hydraulics;
using Socle.Modules.Heat.Indicators;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Simulation;
using Socle.Modules.Heat.Weather;

namespace Socle.Heat.Tests.Simulation;

public class YearSimulationTests(ITestOutputHelper output)
{
    private static readonly WeatherYear Rouen = WeatherSource.Typical("rouen")!;

    private static YearResult Run(Scenario s, SimulationOptions? options = null)
    {
        var result = YearSimulation.Run(Builders.Compile(s), Rouen, options);
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    [Fact]
    public void Every_hour_the_plant_supplies_what_is_delivered_plus_what_the_pipes_lose()
    {
        var year = Run(SyntheticNetwork.Generate(40, seed: 7));
        var h = year.Hourly;
        for (var hour = 0; hour < WeatherYear.Hours; hour += 97)
        {
            Assert.Equal(h.PlantLoad_kw[hour], h.Demand_kw[hour] + h.SupplyLoss_kw[hour] + h.ReturnLoss_kw[hour], 1e-6 * h.PlantLoad_kw[hour] + 1e-9);
        }
        // annual deliveries equal the substations' annual energies
        var annual = year.Scenario.Substations.Sum(x => x.Substation.Heating_mwh + x.Substation.HotWater_mwh);
        Assert.Equal(annual, h.Demand_kw.Sum() / 1000, annual * 1e-9);
        Assert.Equal(annual, year.Substations.Sum(x => x.Delivered_mwh), annual * 1e-9);
    }

    [Fact]
    public void The_fast_hourly_network_agrees_with_the_general_steady_state_solver()
    {
        var compiled = Builders.Compile(SyntheticNetwork.Generate(30, seed: 3));
        var net = compiled.Network;
        const double rho = 975, mu = 3.6e-4, cp = 4190, supply = 363.15, ground = 283.15;
        var state = new HourState(net.NodeCount, net.PipeCount);
        var withdrawal = new double[net.NodeCount];
        foreach (var s in compiled.Substations)
        {
            withdrawal[s.Node] += s.Substation.Subscribed_kw * 0.6 / (4.19 * 30);
        }
        Array.Copy(withdrawal, state.Withdrawal_kg_per_s, withdrawal.Length);
        var fast = new HourlyNetwork(compiled);
        var error = fast.Solve(state, supply, ground, ground, rho, mu, cp, FrictionModel.Colebrook, 8e5, 1e-10);
        Assert.Null(error);
        var general = new SteadyStateSolver(net, [compiled.PlantNode]).Solve(new SteadyStateProblem
        {
            Network = net,
            FixedPressures = [new FixedPressure(compiled.PlantNode, 8e5, supply)],
            Withdrawal_kg_per_s = withdrawal,
            Fluid = new ConstantFluid("hour", rho, cp, mu),
            MassFlowTolerance_kg_per_s = 1e-12,
        });
        Assert.True(general.IsSuccess, general.Error?.Message);
        for (var b = 0; b < net.PipeCount; b++)
        {
            Assert.Equal(general.Value.MassFlow_kg_per_s[b], state.MassFlow_kg_per_s[b], 1e-7);
        }
        for (var i = 0; i < net.NodeCount; i++)
        {
            Assert.Equal(general.Value.Pressure_pa[i], state.Pressure_pa[i], 1e-2);
            Assert.Equal(general.Value.Temperature_k[i], state.Supply_k[i], 1e-8);
        }
    }

    [Fact]
    public void Blocks_of_hours_in_parallel_give_the_same_year_as_one_block()
    {
        var s = SyntheticNetwork.Generate(25, seed: 11);
        var one = Run(s, new SimulationOptions { Parallelism = 1 });
        var four = Run(s, new SimulationOptions { Parallelism = 4 });
        var a = IndicatorCalculator.Compute(one);
        var b = IndicatorCalculator.Compute(four);
        Assert.Equal(a.Delivered_mwh, b.Delivered_mwh, 1e-9);
        Assert.Equal(a.NetworkLoss_mwh, b.NetworkLoss_mwh, a.NetworkLoss_mwh * 1e-4);
        Assert.Equal(a.EnrrRate, b.EnrrRate, 1e-4);
    }

    [Fact]
    public void Non_convergence_names_the_hour_and_the_node()
    {
        var result = YearSimulation.Run(Builders.Compile(SyntheticNetwork.Generate(30, seed: 5)), Rouen, new SimulationOptions { MaxNewtonIterations = 1, Parallelism = 1 });
        Assert.False(result.IsSuccess);
        Assert.Equal("not_converged", result.Error!.Code);
        Assert.Matches("^hour 0 \\(1 Jan 00:00, outdoor -?[0-9.]+ °C\\): hydraulics did not converge after 1 iterations at node '[a-z0-9-]+'", result.Error.Message);
    }

    [Fact]
    public void An_undersized_plant_leaves_unmet_demand_reported_not_hidden()
    {
        var s = Builders.Street() with { Production = [new ProductionUnit { Id = "small", Name = "Small", Type = UnitType.GasBoiler, Capacity_kw = 60 }] };
        var year = Run(s);
        var i = IndicatorCalculator.Compute(year);
        Assert.True(i.Unmet_mwh > 1);
        Assert.True(i.UnmetHours > 100);
        Assert.Equal(i.Demand_mwh - i.Unmet_mwh, i.Delivered_mwh, 1e-6);
        Assert.Contains(year.Warnings, w => w.Contains("unmet demand"));
    }

    [Fact]
    public void Lower_network_temperatures_lose_less_heat_and_raise_the_heat_pump_COP()
    {
        var hp = new ProductionUnit { Id = "hp", Name = "HP", Type = UnitType.HeatPump, Capacity_kw = 80, Source = HeatPumpSource.Water, SourceTemperature_c = 12 };
        var gas = new ProductionUnit { Id = "gas", Name = "Gas", Type = UnitType.GasBoiler, Capacity_kw = 800 };
        var high = Builders.Street(units: [hp, gas]) with { Temperatures = new OperatingTemperatures { SupplyDesign_c = 90, SupplyMild_c = 75, Return_c = 55 } };
        var low = high with { Temperatures = new OperatingTemperatures { SupplyDesign_c = 65, SupplyMild_c = 55, Return_c = 35 } };
        var a = IndicatorCalculator.Compute(Run(high));
        var b = IndicatorCalculator.Compute(Run(low));
        output.WriteLine($"losses {a.NetworkLoss_mwh:F1} → {b.NetworkLoss_mwh:F1} MWh, COP {a.Units[0].MeanPerformance:F2} → {b.Units[0].MeanPerformance:F2}");
        Assert.True(b.NetworkLoss_mwh < 0.8 * a.NetworkLoss_mwh);
        Assert.True(b.Units[0].MeanPerformance > a.Units[0].MeanPerformance + 0.3);
    }

    [Fact]
    public void Network_losses_are_what_the_twin_pipe_formula_gives_for_the_mean_temperatures()
    {
        // a single 1 km DN100 pipe to one building: the annual loss is close to U1·L·Σ(T̄ − T_g) over supply and return
        var s = Builders.Street(buildings: 1, heating_mwh: 2000) with
        {
            Network = new NetworkLayout
            {
                PlantNode = "plant",
                Nodes = [new() { Id = "plant" }, new() { Id = "n0", X_m = 1000 }],
                Pipes = [new NetworkPipe { Id = "p0", From = "plant", To = "n0", Dn = 100, Series = 2, Depth_m = 1 }],
                BypassShare = 0.1,
            },
        };
        var year = Run(s);
        var (u1, coupling) = Socle.Modules.Heat.Network.PipeCatalogue.PairLoss(Socle.Modules.Heat.Network.PipeCatalogue.Find(100)!, 2, 1, 1.5);
        double expected = 0;
        for (var h = 0; h < WeatherYear.Hours; h++)
        {
            var ts = year.Hourly.Supply_c[h] - 10;
            var tr = year.Hourly.Return_c[h] - 10;
            expected += u1 * 1000 * ((ts - coupling * tr) + (tr - coupling * ts)) / 1e6;
        }
        var actual = year.Pipes[0].Loss_mwh;
        output.WriteLine($"loss {actual:F1} MWh, formula {expected:F1} MWh, U1 {u1:F3} W/(m·K)");
        Assert.InRange(actual, 0.97 * expected, 1.03 * expected);
    }
}
