namespace Socle.Modules.Heat.Scenarios;

/// <summary>Emission factors of a fuel, kg CO2 per kWh of fuel (lower heating value), with where they come from.</summary>
public sealed record FuelFactors(Fuel Fuel, double Direct_kg_per_kwh, double LifeCycle_kg_per_kwh, double? Lhv_kwh_per_t, string Source);

/// <summary>
/// What a unit type implies when the scenario does not say: efficiency, fuel, EnR&amp;R class, merit-order rank,
/// minimum load, and the emission factors of fuels. Every value is documented in docs/heat/indicators.md.
/// </summary>
public static class UnitDefaults
{
    /// <summary>
    /// Direct factors: on-site combustion CO2, IPCC 2006 Guidelines vol. 2 table 2.2 defaults (natural gas 56.1 t CO2/TJ,
    /// gas/diesel oil 74.1 t/TJ); biogenic CO2 of wood and biogas counted zero, as in the French contenu CO2 convention.
    /// Life-cycle factors: the DPE arrêté of 31 March 2021 (gas 0.227, fuel oil 0.324, wood chips 0.024, pellets 0.030,
    /// electricity for heating 0.079), biogas 0.0445 (Base Empreinte, as used by France Chaleur Urbaine's comparator).
    /// Incineration heat and recovered heat carry no emissions: they are allocated to the waste or the process that
    /// makes them (the convention of the DPE arrêté and the SNCU survey).
    /// </summary>
    public static FuelFactors Factors(Fuel fuel, double electricity_kg_per_kwh) => fuel switch
    {
        Fuel.NaturalGas => new(fuel, 0.202, 0.227, null, "IPCC 2006 (56.1 t/TJ); DPE 2021"),
        Fuel.FuelOil => new(fuel, 0.267, 0.324, 11_800, "IPCC 2006 (74.1 t/TJ); DPE 2021"),
        Fuel.WoodChips => new(fuel, 0, 0.024, 3_000, "biogenic; DPE 2021 (plaquettes); 3 MWh/t at about 35 % moisture"),
        Fuel.WoodPellets => new(fuel, 0, 0.030, 4_600, "biogenic; DPE 2021 (granulés); EN ISO 17225-2 pellets"),
        Fuel.Biogas => new(fuel, 0, 0.0445, null, "biogenic; Base Empreinte (FCU comparator)"),
        Fuel.Electricity => new(fuel, 0, electricity_kg_per_kwh, null, "DPE 2021, electricity for heating (scenario setting)"),
        Fuel.Waste => new(fuel, 0, 0, null, "allocated to waste treatment (DPE/SNCU convention)"),
        _ => new(fuel, 0, 0, null, "no fuel"),
    };

    public static Fuel DefaultFuel(ProductionUnit u) => u.Type switch
    {
        UnitType.BiomassBoiler or UnitType.BiomassChp => Fuel.WoodChips,
        UnitType.GasBoiler or UnitType.GasChp => Fuel.NaturalGas,
        UnitType.FuelOilBoiler => Fuel.FuelOil,
        UnitType.HeatPump or UnitType.ElectricBoiler or UnitType.Chiller => Fuel.Electricity,
        UnitType.WasteHeat when u.Origin == WasteHeatOrigin.Incineration => Fuel.Waste,
        _ => Fuel.None,
    };

    public static EnrrClass DefaultEnrr(ProductionUnit u, Fuel fuel) => u.Type switch
    {
        UnitType.BiomassBoiler or UnitType.BiomassChp or UnitType.Geothermal or UnitType.SolarThermal or UnitType.FreeCooling => EnrrClass.Renewable,
        UnitType.WasteHeat when u.Origin == WasteHeatOrigin.Incineration => EnrrClass.Incineration,
        UnitType.WasteHeat or UnitType.AbsorptionChiller => EnrrClass.Recovered,
        UnitType.HeatPump => EnrrClass.HeatPump,
        UnitType.GasBoiler when fuel == Fuel.Biogas => EnrrClass.Renewable,
        _ => EnrrClass.Fossil,
    };

    public static double DefaultEfficiency(UnitType type) => type switch
    {
        UnitType.BiomassBoiler => 0.85,
        UnitType.GasBoiler => 0.92,
        UnitType.FuelOilBoiler => 0.88,
        UnitType.GasChp => 0.45,
        UnitType.BiomassChp => 0.60,
        UnitType.ElectricBoiler => 0.99,
        UnitType.AbsorptionChiller => 0.70,
        _ => 1.0,
    };

    public static double DefaultElectricEfficiency(UnitType type) => type switch
    {
        UnitType.GasChp => 0.40,
        UnitType.BiomassChp => 0.20,
        _ => 0,
    };

    /// <summary>Usual rank: what is free or must be taken first, renewables next, fossil peak and backup last.</summary>
    public static int DefaultMerit(UnitType type) => type switch
    {
        UnitType.SolarThermal => 1,
        UnitType.WasteHeat => 2,
        UnitType.FreeCooling => 3,
        UnitType.Geothermal => 5,
        UnitType.BiomassChp => 10,
        UnitType.GasChp => 15,
        UnitType.BiomassBoiler => 20,
        UnitType.HeatPump => 25,
        UnitType.AbsorptionChiller => 30,
        UnitType.Chiller => 50,
        UnitType.GasBoiler => 80,
        UnitType.FuelOilBoiler => 90,
        UnitType.ElectricBoiler => 95,
        _ => 50,
    };

    /// <summary>Units whose heat is there whether used or not: taken first, and what is not needed is dumped (or stored).</summary>
    public static bool MustTake(UnitType type) => type is UnitType.SolarThermal or UnitType.WasteHeat;

    public static bool IsCooling(UnitType type) => type is UnitType.Chiller or UnitType.FreeCooling or UnitType.AbsorptionChiller;
}
