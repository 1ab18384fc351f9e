namespace Socle.Modules.Heat.Weather;

/// <summary>
/// A French climate for the shipped typical years: monthly normals of daily minimum and maximum temperature, the design
/// (base) outdoor temperature, and monthly global horizontal irradiation.
/// </summary>
/// <remarks>
/// Temperature normals: Météo-France climatological normals 1991–2020 of the named station (monthly means of daily
/// minima and maxima), transcribed to 0.1 °C. Design temperatures: the French base outdoor temperatures by département
/// (NF EN 12831 national annex, for sites below 200 m). Irradiation: typical monthly horizontal totals for the city
/// (order of magnitude of the European PVGIS climatologies), kWh/m². These numbers only shape a synthetic year
/// (<see cref="TypicalYear"/>); a study that needs measured weather loads a CSV instead.
/// </remarks>
public sealed record Climate(
    string Id, string Name, string Station, double Latitude_deg, double Design_c,
    double[] Tmin_c, double[] Tmax_c, double[] Ghi_kwh_per_m2)
{
    public double MonthlyMean_c(int month) => (Tmin_c[month] + Tmax_c[month]) / 2;

    public double AnnualMean_c => Enumerable.Range(0, 12).Sum(m => MonthlyMean_c(m) * TypicalYear.DaysInMonth[m]) / 365.0;
}

public static class Climates
{
    public static readonly IReadOnlyList<Climate> All =
    [
        new("rouen", "Rouen (Seine-Maritime)", "Rouen-Boos", 49.38, -7,
            [1.5, 1.5, 3.3, 5.0, 8.3, 11.2, 13.2, 13.0, 10.6, 8.2, 4.6, 2.2],
            [6.8, 7.7, 11.1, 14.4, 17.8, 20.9, 23.2, 23.1, 19.9, 15.4, 10.3, 7.3],
            [24, 40, 78, 118, 146, 154, 158, 136, 98, 58, 29, 19]),
        new("paris", "Paris", "Paris-Montsouris", 48.82, -7,
            [3.0, 3.3, 5.6, 7.9, 11.4, 14.5, 16.6, 16.4, 13.3, 10.1, 6.1, 3.7],
            [7.6, 8.8, 12.8, 16.3, 19.8, 23.2, 25.6, 25.4, 21.3, 16.5, 11.0, 8.0],
            [28, 45, 85, 126, 152, 162, 166, 144, 104, 63, 32, 22]),
        new("lyon", "Lyon", "Lyon-Bron", 45.72, -10,
            [0.9, 1.3, 4.3, 7.1, 11.1, 14.8, 16.9, 16.6, 12.9, 9.6, 5.0, 1.8],
            [7.3, 9.2, 13.8, 17.3, 21.4, 25.3, 28.0, 27.7, 23.0, 17.7, 11.5, 7.7],
            [38, 58, 102, 135, 165, 185, 197, 170, 122, 78, 42, 31]),
        new("strasbourg", "Strasbourg", "Strasbourg-Entzheim", 48.55, -15,
            [-1.2, -0.9, 1.9, 4.8, 9.0, 12.4, 14.3, 13.9, 10.3, 6.9, 2.8, 0.0],
            [4.6, 6.6, 11.5, 15.9, 20.0, 23.6, 25.9, 25.6, 20.9, 15.2, 9.0, 5.2],
            [27, 47, 90, 130, 157, 168, 174, 150, 106, 62, 30, 20]),
        new("marseille", "Marseille", "Marseille-Marignane", 43.44, -5,
            [3.0, 3.5, 6.3, 9.1, 13.0, 16.8, 19.5, 19.2, 15.6, 12.0, 7.2, 3.9],
            [12.2, 13.4, 16.8, 19.6, 23.7, 28.0, 31.1, 30.6, 26.1, 21.2, 15.9, 12.6],
            [64, 86, 137, 173, 211, 230, 240, 208, 156, 108, 69, 55]),
    ];

    public static Climate? Find(string id) => All.FirstOrDefault(c => string.Equals(c.Id, id, StringComparison.OrdinalIgnoreCase));
}
