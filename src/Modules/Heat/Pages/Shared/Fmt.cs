using Socle.Modules.Heat.Scenarios;
using Socle.Platform.Web;

namespace Socle.Modules.Heat.Pages.Shared;

/// <summary>Numbers and labels for Heat pages, in the visitor's language.</summary>
public static class Fmt
{
    public static string Mwh(double mwh) => mwh >= 10_000 ? $"{L.N(mwh / 1000, 1)} GWh" : $"{L.N(mwh, 0)} MWh";

    public static string Kw(double kw) => kw >= 10_000 ? $"{L.N(kw / 1000, 1)} MW" : $"{L.N(kw, 0)} kW";

    public static string Pct(double share, int decimals = 1) => $"{L.N(share * 100, decimals)} %";

    public static string Num(double value, int decimals = 0) => L.N(value, decimals);

    /// <summary>A number with decimals only when it has them (45 → "45", 45.5 → "45,5").</summary>
    public static string Smart(double value) => L.N(value, Math.Abs(value - Math.Round(value)) < 1e-9 ? 0 : 1);

    public static string Eur(double value) => value >= 1_000_000 ? $"{L.N(value / 1e6, 2)} M€" : $"{L.N(value, 0)} €";

    public static string Type(UnitType type) => type switch
    {
        UnitType.BiomassBoiler => L.T("Chaudière biomasse", "Biomass boiler"),
        UnitType.GasBoiler => L.T("Chaudière gaz", "Gas boiler"),
        UnitType.FuelOilBoiler => L.T("Chaudière fioul", "Fuel-oil boiler"),
        UnitType.GasChp => L.T("Cogénération gaz", "Gas CHP"),
        UnitType.BiomassChp => L.T("Cogénération biomasse", "Biomass CHP"),
        UnitType.HeatPump => L.T("Pompe à chaleur", "Heat pump"),
        UnitType.Geothermal => L.T("Géothermie", "Geothermal"),
        UnitType.WasteHeat => L.T("Chaleur de récupération", "Recovered heat"),
        UnitType.SolarThermal => L.T("Solaire thermique", "Solar thermal"),
        UnitType.ElectricBoiler => L.T("Chaudière électrique", "Electric boiler"),
        UnitType.Chiller => L.T("Groupe froid", "Chiller"),
        UnitType.FreeCooling => L.T("Free cooling", "Free cooling"),
        UnitType.AbsorptionChiller => L.T("Machine à absorption", "Absorption chiller"),
        _ => type.ToString(),
    };

    public static string Enrr(EnrrClass c) => c switch
    {
        EnrrClass.Renewable => L.T("renouvelable", "renewable"),
        EnrrClass.Recovered => L.T("récupération", "recovered"),
        EnrrClass.Incineration => L.T("UIOM (½ renouvelable, ½ récupération)", "incineration (½ renewable, ½ recovered)"),
        EnrrClass.HeatPump => L.T("pompe à chaleur", "heat pump"),
        _ => L.T("fossile", "fossil"),
    };

    public static string Subscriber(SubscriberType t) => t switch
    {
        SubscriberType.Housing => L.T("logement", "housing"),
        SubscriberType.Tertiary => L.T("tertiaire", "tertiary"),
        SubscriberType.Public => L.T("public", "public"),
        _ => L.T("industrie", "industry"),
    };

    public static string Kind(NetworkKind k) => k == NetworkKind.Cooling ? L.T("froid", "cooling") : L.T("chaleur", "heating");

    public static string Date(DateTimeOffset t) => t.ToLocalTime().ToString(L.IsEnglish ? "d MMM yyyy HH:mm" : "d MMM yyyy HH:mm", System.Globalization.CultureInfo.CurrentCulture);

    /// <summary>A colour per unit type, readable on white and distinct in the charts.</summary>
    public static string Colour(UnitType type) => type switch
    {
        UnitType.BiomassBoiler or UnitType.BiomassChp => "#2e7d32",
        UnitType.WasteHeat => "#8e24aa",
        UnitType.SolarThermal => "#f9a825",
        UnitType.Geothermal => "#6d4c41",
        UnitType.HeatPump => "#00838f",
        UnitType.GasChp => "#ef6c00",
        UnitType.GasBoiler => "#c62828",
        UnitType.FuelOilBoiler => "#37474f",
        UnitType.ElectricBoiler => "#546e7a",
        UnitType.Chiller => "#1565c0",
        UnitType.FreeCooling => "#26a69a",
        _ => "#5e35b1",
    };
}
