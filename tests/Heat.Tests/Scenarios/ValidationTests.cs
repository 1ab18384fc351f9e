using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Weather;

namespace Socle.Heat.Tests.Scenarios;

/// <summary>Bad input gets an error that names the element and the reason — all of them at once.</summary>
public class ValidationTests
{
    private static Socle.Platform.Error Fails(Scenario s)
    {
        var result = CompiledScenario.Compile(s);
        Assert.False(result.IsSuccess, "the scenario should be refused");
        return result.Error!;
    }

    [Fact]
    public void A_negative_length_names_the_pipe()
    {
        var s = Builders.Street();
        var e = Fails(s with { Network = s.Network with { Pipes = [s.Network.Pipes[0] with { Length_m = -40 }, .. s.Network.Pipes.Skip(1)] } });
        Assert.Contains("pipes[p0].length_m", e.Fields!.Keys);
        Assert.Contains("positive", e.Fields["pipes[p0].length_m"][0]);
    }

    [Fact]
    public void A_disconnected_network_names_the_unreachable_nodes()
    {
        var s = Builders.Street(buildings: 3);
        var e = Fails(s with { Network = s.Network with { Pipes = [.. s.Network.Pipes.Where(p => p.Id != "p1")] } });
        Assert.Contains("disconnected network", e.Message);
        Assert.Contains("n1", e.Message);
        Assert.Contains("n2", e.Message);
        Assert.Contains("'plant'", e.Message);
    }

    [Fact]
    public void An_impossible_capacity_names_the_unit()
    {
        var s = Builders.Street();
        var e = Fails(s with { Production = [s.Production[0] with { Capacity_kw = 0 }, s.Production[1] with { MinLoad = 1.5 }] });
        Assert.Contains("impossible capacity", e.Fields!["production[wood].capacity_kw"][0]);
        Assert.Contains("production[gas].min_load", e.Fields.Keys);
    }

    [Fact]
    public void A_storage_that_would_empty_in_minutes_is_refused()
    {
        var e = Fails(Builders.Street() with { Storage = [new StorageUnit { Id = "tank", Capacity_kwh = 10, Power_kw = 500 }] });
        Assert.Contains("storage[tank].power_kw", e.Fields!.Keys);
    }

    [Fact]
    public void References_to_missing_nodes_and_duplicates_are_each_named()
    {
        var s = Builders.Street();
        var e = Fails(s with
        {
            Substations = [.. s.Substations, s.Substations[0], new Substation { Id = "ghost", Name = "Ghost", Node = "nowhere" }],
            Network = s.Network with { Pipes = [.. s.Network.Pipes, new NetworkPipe { Id = "stray", From = "n0", To = "n9", Dn = 40, Length_m = 10 }] },
        });
        Assert.Contains("substations[b0]", e.Fields!.Keys);
        Assert.Contains("substations[ghost].node", e.Fields.Keys);
        Assert.Contains("pipes[stray].to", e.Fields.Keys);
    }

    [Fact]
    public void A_DN_outside_the_catalogue_lists_the_sizes()
    {
        var s = Builders.Street();
        var e = Fails(s with { Network = s.Network with { Pipes = [s.Network.Pipes[0] with { Dn = 70 }, .. s.Network.Pipes.Skip(1)] } });
        Assert.Contains("DN70", e.Fields!["pipes[p0].dn"][0]);
        Assert.Contains("65, 80", e.Fields["pipes[p0].dn"][0]);
    }

    [Fact]
    public void Supply_not_above_return_is_refused()
    {
        var e = Fails(Builders.Street() with { Temperatures = new OperatingTemperatures { SupplyDesign_c = 60, SupplyMild_c = 55, Return_c = 55 } });
        Assert.Contains("temperatures.return_c", e.Fields!.Keys);
    }

    [Fact]
    public void A_heat_unit_on_a_cooling_network_is_refused()
    {
        var s = Builders.Street() with
        {
            Kind = NetworkKind.Cooling,
            Temperatures = new OperatingTemperatures { SupplyDesign_c = 6, SupplyMild_c = 7, Return_c = 12 },
            Substations = [new Substation { Id = "o", Name = "Office", Node = "n0", Cooling_mwh = 100 }],
        };
        var e = Fails(s);
        Assert.Contains("production[wood].type", e.Fields!.Keys);
    }

    [Fact]
    public async Task Missing_weather_names_the_field_and_what_exists()
    {
        var unknown = await WeatherSource.ResolveAsync("atlantis", null, TestContext.Current.CancellationToken);
        Assert.False(unknown.IsSuccess);
        Assert.Contains("climate.source", unknown.Error!.Fields!.Keys);
        Assert.Contains("rouen", unknown.Error.Message);
        var upload = await WeatherSource.ResolveAsync("upload:w42", (_, _) => Task.FromResult<WeatherYear?>(null), TestContext.Current.CancellationToken);
        Assert.Contains("w42", upload.Error!.Message);
    }

    [Fact]
    public void Unknown_fields_in_the_document_are_refused_not_ignored()
    {
        var json = Builders.Street().ToJson().Replace("\"capacity_kw\": 150", "\"capacity_kwh\": 150", StringComparison.Ordinal);
        var e = Assert.Throws<System.Text.Json.JsonException>(() => System.Text.Json.JsonSerializer.Deserialize<Scenario>(json, Scenario.Json));
        Assert.Contains("capacity_kwh", e.Message);
    }
}
