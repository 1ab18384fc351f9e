using Socle.Modules.Heat.Import;
using Socle.Modules.Heat.Indicators;
using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Simulation;
using Socle.Modules.Heat.Weather;
using Socle.Testing;

namespace Socle.Heat.Tests.Hydraulics;

public class PandapipesImportTests
{
    private static string Case(string name) => File.ReadAllText(TestData.Path("heat", "pandapipes-reference", "heat_transfer_cases", name + ".json"));

    [Fact]
    public void A_pandapipes_network_becomes_a_scenario_that_simulates()
    {
        var net = PandapipesNet.Parse(Case("t_cross")).Value;
        var scenario = PandapipesToScenario.Convert(net, "t-cross").Value;
        Assert.Equal(4, scenario.Network.Nodes.Count);
        Assert.Equal(3, scenario.Network.Pipes.Count);
        Assert.Equal(2, scenario.Substations.Count);
        Assert.Equal(383.15 - 273.15, scenario.Temperatures.SupplyDesign_c, 1e-9);
        Assert.Equal(100 * Math.PI * 0.075, scenario.Network.Pipes[0].HeatLoss_w_per_m_k!.Value, 1e-9);
        var compiled = CompiledScenario.Compile(scenario);
        Assert.True(compiled.IsSuccess, compiled.Error?.Message);
        var year = YearSimulation.Run(compiled.Value, WeatherSource.Typical("rouen")!);
        Assert.True(year.IsSuccess, year.Error?.Message);
        var expected = scenario.Substations.Sum(s => s.Heating_mwh + s.HotWater_mwh);
        Assert.Equal(expected, IndicatorCalculator.Compute(year.Value).Delivered_mwh, expected * 1e-9);
    }

    [Fact]
    public void Not_a_pandapipes_file_is_said_so()
    {
        Assert.Contains("not JSON", PandapipesNet.Parse("{ nope").Error!.Message);
        Assert.Contains("not a pandapipes network", PandapipesNet.Parse("{\"a\": 1}").Error!.Message);
    }

    [Fact]
    public void An_unsupported_component_is_named_not_silently_dropped()
    {
        var json = Case("one_pipe").Replace("\"component_list\"", "\"valve\": {\"_module\": \"pandas.core.frame\", \"_class\": \"DataFrame\", \"_object\": \"{\\\"columns\\\":[\\\"from_junction\\\"],\\\"index\\\":[0],\\\"data\\\":[[0]]}\", \"orient\": \"split\"}, \"component_list\"", StringComparison.Ordinal);
        var result = PandapipesNet.Parse(json);
        Assert.False(result.IsSuccess);
        Assert.Contains("valve", result.Error!.Fields!.Keys);
    }

    [Fact]
    public void A_negative_pipe_length_is_named_by_pipe()
    {
        var net = PandapipesNet.Parse(Case("one_pipe")).Value;
        var bad = new PandapipesNet
        {
            Name = net.Name, Junctions = net.Junctions, ExtGrids = net.ExtGrids, Sinks = net.Sinks, Sources = net.Sources,
            Pipes = [net.Pipes[0] with { Length_km = -0.1 }],
        };
        var result = bad.ToProblem(Socle.Modules.Heat.Fluids.Water.Instance);
        Assert.False(result.IsSuccess);
        Assert.Contains("pipes[P0].length_m", result.Error!.Fields!.Keys);
    }
}
