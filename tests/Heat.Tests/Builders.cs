using Socle.Modules.Heat.Scenarios;

namespace Socle.Heat.Tests;

/// <summary>Small scenarios for tests: a plant, a street and a few buildings.</summary>
public static class Builders
{
    public static Scenario Street(int buildings = 3, double heating_mwh = 200, params ProductionUnit[] units) => new()
    {
        Id = "street",
        Name = "A street",
        Climate = new ClimateRef { Source = "rouen" },
        Network = new NetworkLayout
        {
            PlantNode = "plant",
            Nodes = [new() { Id = "plant" }, .. Enumerable.Range(0, buildings).Select(i => new NetworkNode { Id = $"n{i}", X_m = 100 * (i + 1) })],
            Pipes = [.. Enumerable.Range(0, buildings).Select(i => new NetworkPipe { Id = $"p{i}", From = i == 0 ? "plant" : $"n{i - 1}", To = $"n{i}", Dn = 65 })],
        },
        Substations = [.. Enumerable.Range(0, buildings).Select(i => new Substation
        {
            Id = $"b{i}", Name = $"Building {i}", Node = $"n{i}", Subscribed_kw = heating_mwh / 1.8, Heating_mwh = heating_mwh, HotWater_mwh = heating_mwh * 0.15,
        })],
        Production = units.Length > 0 ? units :
        [
            new ProductionUnit { Id = "wood", Name = "Wood boiler", Type = UnitType.BiomassBoiler, Capacity_kw = 150, MinLoad = 0.3 },
            new ProductionUnit { Id = "gas", Name = "Gas boiler", Type = UnitType.GasBoiler, Capacity_kw = 800 },
        ],
    };

    public static CompiledScenario Compile(Scenario s)
    {
        var compiled = CompiledScenario.Compile(s);
        Assert.True(compiled.IsSuccess, compiled.Error?.Message);
        return compiled.Value;
    }
}
