using System.Globalization;
using Socle.Platform;

namespace Socle.Modules.Heat.Weather;

/// <summary>An hourly year of weather: 8760 outdoor temperatures and global horizontal irradiance, hour 0 = 1 January 00:00.</summary>
public sealed record WeatherYear(string Name, string Source, double Latitude_deg, double Design_c, double[] Temperature_c, double[] Ghi_w_per_m2)
{
    public const int Hours = 8760;

    /// <summary>Heating degree-hours above the outdoor temperature, base <paramref name="base_c"/> (K·h).</summary>
    public double DegreeHours(double base_c) => Temperature_c.Sum(t => Math.Max(0, base_c - t));

    /// <summary>
    /// Reads a weather CSV: a header naming <c>temperature_c</c> (and optionally <c>ghi_w_per_m2</c>, <c>time</c>), then
    /// one row per hour from 1 January 00:00, 8760 rows (8784 for a leap year: 29 February is dropped). Comma or
    /// semicolon separated, decimal point. A missing or unreadable value is an error naming its line.
    /// </summary>
    public static Result<WeatherYear> FromCsv(string name, string text, double latitude_deg, double? design_c = null)
    {
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0)
        {
            return Error.Validation("weather", "the weather file is empty");
        }
        var separator = lines[0].Contains(';') ? ';' : ',';
        var header = lines[0].Split(separator).Select(h => h.Trim().Trim('"').ToLowerInvariant()).ToArray();
        var tCol = Array.FindIndex(header, h => h is "temperature_c" or "t_c" or "temperature" or "tair_c");
        if (tCol < 0)
        {
            return Error.Validation("weather", $"line 1: no 'temperature_c' column (columns: {string.Join(", ", header)})");
        }
        var gCol = Array.FindIndex(header, h => h is "ghi_w_per_m2" or "ghi");
        var rows = lines.Count - 1;
        if (rows != Hours && rows != Hours + 24)
        {
            var missing = rows < Hours ? $"{Hours - rows} hour(s) missing: the data stops at hour {rows} ({HourLabel(rows)})" : $"{rows - Hours} hour(s) too many";
            return Error.Validation("weather", $"missing weather: {rows} hourly rows, {Hours} needed; {missing}");
        }
        var temperature = new double[rows];
        var ghi = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            var cells = lines[i + 1].Split(separator);
            if (tCol >= cells.Length || !double.TryParse(cells[tCol].Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || !double.IsFinite(t))
            {
                return Error.Validation("weather", $"missing weather: line {i + 2} (hour {i}, {HourLabel(i)}) has no temperature");
            }
            if (t is < -60 or > 60)
            {
                return Error.Validation("weather", $"line {i + 2} (hour {i}): temperature {t} °C is outside −60…60 °C");
            }
            temperature[i] = t;
            if (gCol >= 0)
            {
                if (gCol >= cells.Length || !double.TryParse(cells[gCol].Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var g) || g < 0 || g > 1400)
                {
                    return Error.Validation("weather", $"line {i + 2} (hour {i}): global irradiance must be 0…1400 W/m²");
                }
                ghi[i] = g;
            }
        }
        if (rows == Hours + 24)
        {
            // leap year: drop 29 February (hours 1416 … 1439)
            temperature = [.. temperature.Take(1416), .. temperature.Skip(1440)];
            ghi = [.. ghi.Take(1416), .. ghi.Skip(1440)];
        }
        if (gCol < 0)
        {
            ghi = TypicalYear.ClearSkyShape(latitude_deg, 0.5);
        }
        return new WeatherYear(name, "uploaded CSV", latitude_deg, design_c ?? temperature.Min(), temperature, ghi);
    }

    public string ToCsv()
    {
        var sb = new System.Text.StringBuilder("time,temperature_c,ghi_w_per_m2\n");
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        for (var h = 0; h < Temperature_c.Length; h++)
        {
            sb.Append(start.AddHours(h).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)).Append(',')
              .Append(Temperature_c[h].ToString("0.##", CultureInfo.InvariantCulture)).Append(',')
              .Append(Ghi_w_per_m2[h].ToString("0.#", CultureInfo.InvariantCulture)).Append('\n');
        }
        return sb.ToString();
    }

    public static string HourLabel(int hour) =>
        new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Unspecified).AddHours(hour).ToString("d MMM HH:00", CultureInfo.InvariantCulture);
}
