namespace Socle.Modules.Heat.Weather;

/// <summary>
/// A synthetic typical year built from published monthly normals — documented, deterministic, and honest about what it
/// is: not measured weather, but a year whose monthly mean temperatures equal the normals, whose coldest hour reaches
/// the design temperature (a cold spell in mid-January), with realistic day-to-day persistence and a daily cycle.
/// <list type="number">
/// <item>A smooth annual cycle of daily means through the monthly means (periodic interpolation, then corrected month by month so each month's mean is exact).</item>
/// <item>Day-to-day weather: an autoregressive anomaly, a(d) = 0.7·a(d−1) + ε, σ(ε) = 2.6 K in winter and 1.8 K in summer, from a fixed seed per climate.</item>
/// <item>The daily cycle: half the monthly (Tmax − Tmin) as amplitude, minimum at 06:00, maximum at 15:00.</item>
/// <item>A seven-day cold spell from 15 January whose coldest hour is the design temperature; the rest of January is lifted so that January's mean stays the normal.</item>
/// <item>Irradiance: extraterrestrial irradiance on the horizontal (solar geometry at the latitude) scaled day by day to the monthly totals, with a random clearness per day.</item>
/// </list>
/// </summary>
public static class TypicalYear
{
    public static readonly int[] DaysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

    private static readonly int[] MonthStart = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];

    public static int MonthOfDay(int day)
    {
        for (var m = 11; m >= 0; m--)
        {
            if (day >= MonthStart[m])
            {
                return m;
            }
        }
        return 0;
    }

    public static int MonthOfHour(int hour) => MonthOfDay(hour / 24);

    public static WeatherYear Generate(Climate climate)
    {
        var random = new Random(StableSeed(climate.Id));
        const int days = 365;

        // 1. smooth daily means through the monthly means (periodic linear interpolation between mid-months, smoothed)
        var daily = new double[days];
        for (var d = 0; d < days; d++)
        {
            var m = MonthOfDay(d);
            var mid = MonthStart[m] + DaysInMonth[m] / 2.0;
            var next = d + 0.5 >= mid ? (m + 1) % 12 : (m + 11) % 12;
            var midNext = MonthStart[next] + DaysInMonth[next] / 2.0;
            if (next == 0 && m == 11)
            {
                midNext += days;
            }
            if (next == 11 && m == 0)
            {
                midNext -= days;
            }
            var f = (d + 0.5 - mid) / (midNext - mid);
            daily[d] = climate.MonthlyMean_c(m) + f * (climate.MonthlyMean_c(next) - climate.MonthlyMean_c(m));
        }
        daily = Smooth(daily, 15);

        // 2. day-to-day anomaly
        double anomaly = 0;
        for (var d = 0; d < days; d++)
        {
            var m = MonthOfDay(d);
            var sigma = m is >= 4 and <= 8 ? 1.8 : 2.6;
            anomaly = 0.7 * anomaly + sigma * Gaussian(random);
            daily[d] += anomaly;
        }
        // each month's mean exact
        for (var m = 0; m < 12; m++)
        {
            var mean = Enumerable.Range(MonthStart[m], DaysInMonth[m]).Average(d => daily[d]);
            for (var d = MonthStart[m]; d < MonthStart[m] + DaysInMonth[m]; d++)
            {
                daily[d] += climate.MonthlyMean_c(m) - mean;
            }
        }

        // 3. hourly with the daily cycle
        var temperature = new double[WeatherYear.Hours];
        var shape = DailyShape();
        for (var h = 0; h < WeatherYear.Hours; h++)
        {
            var d = h / 24;
            var m = MonthOfDay(d);
            var amplitude = (climate.Tmax_c[m] - climate.Tmin_c[m]) / 2;
            temperature[h] = daily[d] + amplitude * shape[h % 24];
        }

        // 4. the cold spell: days 14..20, a smooth dip whose lowest hour is the design temperature
        const int spellStart = 14 * 24, spellHours = 7 * 24;
        var spell = new double[spellHours];
        for (var k = 0; k < spellHours; k++)
        {
            spell[k] = Math.Sin(Math.PI * (k + 0.5) / spellHours);
        }
        var lowest = double.MaxValue;
        var depth = 0.0;
        for (var iteration = 0; iteration < 40; iteration++)
        {
            lowest = double.MaxValue;
            for (var k = 0; k < spellHours; k++)
            {
                lowest = Math.Min(lowest, temperature[spellStart + k] - depth * spell[k]);
            }
            depth += lowest - climate.Design_c;
            if (Math.Abs(lowest - climate.Design_c) < 1e-9)
            {
                break;
            }
        }
        depth = Math.Max(depth, 0);
        var removed = 0.0;
        for (var k = 0; k < spellHours; k++)
        {
            temperature[spellStart + k] -= depth * spell[k];
            removed += depth * spell[k];
        }
        var januaryOthers = DaysInMonth[0] * 24 - spellHours;
        for (var h = 0; h < DaysInMonth[0] * 24; h++)
        {
            if (h < spellStart || h >= spellStart + spellHours)
            {
                temperature[h] += removed / januaryOthers;
            }
        }
        // the lift must not create a colder hour than the design one elsewhere
        for (var h = 0; h < WeatherYear.Hours; h++)
        {
            temperature[h] = Math.Max(temperature[h], climate.Design_c);
        }

        return new WeatherYear(climate.Id, $"synthetic typical year from {climate.Station} normals 1991–2020 (Météo-France)",
            climate.Latitude_deg, climate.Design_c, temperature, Irradiance(climate, random));
    }

    /// <summary>Hourly deviation from the daily mean, scaled to ±1: minimum at 06:00, maximum at 15:00, mean zero.</summary>
    private static double[] DailyShape()
    {
        var shape = new double[24];
        for (var h = 0; h < 24; h++)
        {
            var t = h + 0.5;
            shape[h] = t >= 6 && t <= 15
                ? -Math.Cos(Math.PI * (t - 6) / 9)
                : Math.Cos(Math.PI * ((t < 6 ? t + 24 : t) - 15) / 15);
        }
        var mean = shape.Average();
        for (var h = 0; h < 24; h++)
        {
            shape[h] -= mean;
        }
        return shape;
    }

    private static double[] Irradiance(Climate climate, Random random)
    {
        var shape = ClearSkyShape(climate.Latitude_deg, 1.0);
        var ghi = new double[WeatherYear.Hours];
        var clearness = new double[365];
        for (var d = 0; d < 365; d++)
        {
            clearness[d] = 0.25 + 1.5 * random.NextDouble();
        }
        for (var m = 0; m < 12; m++)
        {
            double total = 0;
            for (var d = MonthStart[m]; d < MonthStart[m] + DaysInMonth[m]; d++)
            {
                for (var h = 0; h < 24; h++)
                {
                    total += shape[d * 24 + h] * clearness[d];
                }
            }
            var scale = climate.Ghi_kwh_per_m2[m] * 1000 / total;
            for (var d = MonthStart[m]; d < MonthStart[m] + DaysInMonth[m]; d++)
            {
                for (var h = 0; h < 24; h++)
                {
                    var i = d * 24 + h;
                    ghi[i] = Math.Min(shape[i] * clearness[d] * scale, 0.8 * shape[i]);
                }
            }
        }
        return ghi;
    }

    /// <summary>Extraterrestrial irradiance on a horizontal plane (W/m²) at mid-hour, times <paramref name="clearness"/>.</summary>
    public static double[] ClearSkyShape(double latitude_deg, double clearness)
    {
        var phi = latitude_deg * Math.PI / 180;
        var g = new double[WeatherYear.Hours];
        for (var h = 0; h < WeatherYear.Hours; h++)
        {
            var n = h / 24 + 1;
            var declination = 23.45 * Math.PI / 180 * Math.Sin(2 * Math.PI * (284 + n) / 365.0);
            var hourAngle = (h % 24 + 0.5 - 12) * 15 * Math.PI / 180;
            var cosZ = Math.Sin(phi) * Math.Sin(declination) + Math.Cos(phi) * Math.Cos(declination) * Math.Cos(hourAngle);
            var g0 = 1367 * (1 + 0.033 * Math.Cos(2 * Math.PI * n / 365.0));
            g[h] = Math.Max(0, g0 * cosZ) * clearness;
        }
        return g;
    }

    private static double[] Smooth(double[] values, int window)
    {
        var n = values.Length;
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            for (var k = -window; k <= window; k++)
            {
                sum += values[((i + k) % n + n) % n];
            }
            result[i] = sum / (2 * window + 1);
        }
        return result;
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private static int StableSeed(string id)
    {
        unchecked
        {
            var h = 17;
            foreach (var c in id)
            {
                h = h * 31 + c;
            }
            return h;
        }
    }
}
