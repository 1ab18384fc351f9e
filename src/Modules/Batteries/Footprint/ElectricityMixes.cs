namespace Socle.Modules.Batteries.Footprint;

/// <summary>A country's electricity: grams of CO2-equivalent per kWh generated, over the life cycle, with its source.</summary>
public sealed record ElectricityMix(string Code, string NameFr, string NameEn, double Intensity_gco2e_per_kwh, int Year, string Source);

/// <summary>
/// Life-cycle carbon intensity of electricity generation by country, 2023: Ember, Yearly Electricity Data (2024 release),
/// as published by Our World in Data ("Carbon intensity of electricity generation", grapher carbon-intensity-electricity).
/// Generation, not consumption (imports are not counted). A calculation may always give its own factor instead
/// (a supplier-specific contract, a residual mix), which the draft delegated act on battery carbon footprint allows
/// under conditions.
/// </summary>
public static class ElectricityMixes
{
    public const string Source = "Ember, Yearly Electricity Data 2023 (life-cycle carbon intensity of generation), via Our World in Data";

    public static readonly IReadOnlyList<ElectricityMix> All =
    [
        new("NO", "Norvège", "Norway", 30, 2023, Source),
        new("SE", "Suède", "Sweden", 41, 2023, Source),
        new("FR", "France", "France", 56, 2023, Source),
        new("FI", "Finlande", "Finland", 79, 2023, Source),
        new("AT", "Autriche", "Austria", 111, 2023, Source),
        new("BE", "Belgique", "Belgium", 138, 2023, Source),
        new("DK", "Danemark", "Denmark", 152, 2023, Source),
        new("HU", "Hongrie", "Hungary", 204, 2023, Source),
        new("DE", "Allemagne", "Germany", 381, 2023, Source),
        new("CZ", "Tchéquie", "Czechia", 450, 2023, Source),
        new("WORLD", "Moyenne mondiale", "World average", 481, 2023, "Ember, Global Electricity Review 2024 (world average 2023)"),
        new("CN", "Chine", "China", 582, 2023, Source),
        new("PL", "Pologne", "Poland", 662, 2023, Source),
        new("IN", "Inde", "India", 713, 2023, Source),
    ];

    public static ElectricityMix? Find(string? code) =>
        code is null ? null : All.FirstOrDefault(m => string.Equals(m.Code, code.Trim(), StringComparison.OrdinalIgnoreCase));
}
