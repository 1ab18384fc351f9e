using Socle.Modules.Heat.Scenarios;

namespace Socle.Heat.Tests.Indicators;

/// <summary>
/// Every emission factor names where it comes from, and the direct factors are what the IPCC 2006 defaults they cite give
/// (Guidelines vol. 2, table 2.2: natural gas 56.1 t CO2/TJ, gas/diesel oil 74.1 t CO2/TJ; 1 TJ = 277,777.8 kWh).
/// </summary>
public class FactorSourceTests
{
    [Fact]
    public void Every_fuel_factor_names_its_source()
    {
        foreach (var fuel in Enum.GetValues<Fuel>())
        {
            var f = UnitDefaults.Factors(fuel, 0.079);
            Assert.False(string.IsNullOrWhiteSpace(f.Source), $"{fuel}: no source");
            Assert.InRange(f.Direct_kg_per_kwh, 0, f.LifeCycle_kg_per_kwh);
        }
    }

    [Theory]
    [InlineData(Fuel.NaturalGas, 56.1)]
    [InlineData(Fuel.FuelOil, 74.1)]
    public void Direct_factors_follow_from_the_IPCC_defaults_they_cite(Fuel fuel, double tonnesPerTerajoule)
    {
        const double KwhPerTerajoule = 1e9 / 3.6e3;
        var f = UnitDefaults.Factors(fuel, 0.079);
        Assert.Contains("IPCC 2006", f.Source);
        Assert.Equal(tonnesPerTerajoule * 1000 / KwhPerTerajoule, f.Direct_kg_per_kwh, 0.0005);
    }

    [Theory]
    [InlineData(Fuel.NaturalGas, 0.227)]
    [InlineData(Fuel.FuelOil, 0.324)]
    [InlineData(Fuel.WoodChips, 0.024)]
    [InlineData(Fuel.WoodPellets, 0.030)]
    public void Life_cycle_factors_are_the_DPE_2021_values(Fuel fuel, double expected)
    {
        var f = UnitDefaults.Factors(fuel, 0.079);
        Assert.Contains("DPE 2021", f.Source);
        Assert.Equal(expected, f.LifeCycle_kg_per_kwh, 1e-9);
    }
}
