using Socle.Modules.Heat.Scenarios;
using Socle.Modules.Heat.Weather;

namespace Socle.Modules.Heat.Demand;

/// <summary>
/// Hourly shapes of heat and cold demand, each summing to 1 over the year, per subscriber type: a substation's hourly
/// demand is its annual energy times the shape.
/// <para>
/// Space heating follows the standard load profile method of BDEW/VKU/GEODE (SigLinDe): the daily demand is
/// h(T) = A/(1 + (B/(T − 40))^C) (the hot-water constant D left out, hot water has its own shape), with T the geometric
/// four-day mean temperature (T_D + 0.5·T_D−1 + 0.25·T_D−2 + 0.125·T_D−3)/1.875, times a weekday factor. Sigmoid and
/// weekday parameters: BDEW profiles MFH (class 11, housing), GKO (offices, tertiary), GHD (trade and services, public
/// buildings), GMK (metal and automotive, industry), non-windy sites — as tabulated by oemof demandlib.
/// Within the day Socle applies its own hour shapes (night set-back, morning boost), documented in docs/heat/model.md.
/// </para>
/// <para>
/// Hot water: a daily total 10 % higher in winter than in summer (colder mains water), shaped by morning and evening
/// draws. Cooling: proportional to cooling degree-hours above 18 °C in occupied hours, plus a constant 15 % (equipment
/// and process cooling).
/// </para>
/// </summary>
public sealed class LoadProfiles
{
    private sealed record Sigmoid(double A, double B, double C, double[] Weekday);

    private static readonly Sigmoid Housing = new(2.3877618, -34.7213605, 5.8164304, [1, 1, 1, 1, 1, 1, 1]);
    private static readonly Sigmoid Tertiary = new(2.7172288, -35.1412563, 7.1303395, [1.035, 1.052, 1.045, 1.049, 0.988, 0.886, 0.944]);
    private static readonly Sigmoid Public = new(3.008434556, -36.60784527, 7.321186953, [1.03, 1.03, 1.02, 1.03, 1.01, 0.93, 0.94]);
    private static readonly Sigmoid Industry = new(2.7882424, -34.880613, 6.5951899, [1.070, 1.037, 0.993, 0.995, 1.066, 0.936, 0.903]);

    private static Sigmoid For(SubscriberType type) => type switch
    {
        SubscriberType.Tertiary => Tertiary,
        SubscriberType.Public => Public,
        SubscriberType.Industry => Industry,
        _ => Housing,
    };

    /// <summary>SigLinDe daily factor h(T) without the hot-water constant.</summary>
    public static double SigLinDe(SubscriberType type, double temperature_c)
    {
        var s = For(type);
        return s.A / (1 + Math.Pow(s.B / (temperature_c - 40), s.C));
    }

    private readonly Dictionary<SubscriberType, double[]> _heating = [];
    private readonly Dictionary<SubscriberType, double[]> _hotWater = [];
    private readonly Dictionary<SubscriberType, double[]> _cooling = [];

    public LoadProfiles(WeatherYear weather, int year)
    {
        var dayTypes = Calendar.DayTypes(year);
        var daily = new double[365];
        for (var d = 0; d < 365; d++)
        {
            double sum = 0;
            for (var h = 0; h < 24; h++)
            {
                sum += weather.Temperature_c[d * 24 + h];
            }
            daily[d] = sum / 24;
        }
        var geometric = new double[365];
        for (var d = 0; d < 365; d++)
        {
            double Day(int k) => daily[((d - k) % 365 + 365) % 365]; // the typical year is cyclic
            geometric[d] = (Day(0) + 0.5 * Day(1) + 0.25 * Day(2) + 0.125 * Day(3)) / 1.875;
        }
        foreach (var type in Enum.GetValues<SubscriberType>())
        {
            _heating[type] = Normalise(HeatingShape(type, geometric, dayTypes));
            _hotWater[type] = Normalise(HotWaterShape(type, dayTypes));
            _cooling[type] = Normalise(CoolingShape(type, weather, dayTypes));
        }
    }

    /// <summary>Share of the annual space-heating energy in each hour (sums to 1).</summary>
    public double[] Heating(SubscriberType type) => _heating[type];

    public double[] HotWater(SubscriberType type) => _hotWater[type];

    public double[] Cooling(SubscriberType type) => _cooling[type];

    private static double[] HeatingShape(SubscriberType type, double[] geometric, int[] dayTypes)
    {
        var s = For(type);
        var shape = new double[WeatherYear.Hours];
        for (var d = 0; d < 365; d++)
        {
            var day = SigLinDe(type, geometric[d]) * s.Weekday[dayTypes[d]];
            var hours = HeatingHours(type, dayTypes[d] >= 5);
            for (var h = 0; h < 24; h++)
            {
                shape[d * 24 + h] = day * hours[h] / 24;
            }
        }
        return shape;
    }

    /// <summary>Relative space-heating demand by hour of the day, mean 1.</summary>
    internal static double[] HeatingHours(SubscriberType type, bool weekend)
    {
        double[] raw = type switch
        {
            // night set-back, morning recovery, evening occupancy
            SubscriberType.Housing => [0.8, 0.78, 0.77, 0.77, 0.8, 0.95, 1.3, 1.35, 1.2, 1.05, 1.0, 0.98, 0.97, 0.96, 0.96, 0.98, 1.02, 1.1, 1.18, 1.2, 1.15, 1.05, 0.95, 0.85],
            SubscriberType.Industry => [.. Enumerable.Repeat(1.0, 24)],
            // offices, schools, town halls: occupied 7–18 on working days, reduced otherwise
            _ when weekend => [.. Enumerable.Repeat(0.6, 24)],
            _ => [0.45, 0.45, 0.45, 0.45, 0.5, 1.1, 1.6, 1.55, 1.4, 1.3, 1.25, 1.2, 1.2, 1.2, 1.2, 1.2, 1.2, 1.1, 0.8, 0.55, 0.5, 0.45, 0.45, 0.45],
        };
        var mean = raw.Average();
        return [.. raw.Select(r => r / mean)];
    }

    private static double[] HotWaterShape(SubscriberType type, int[] dayTypes)
    {
        double[] housing = [0.3, 0.2, 0.2, 0.2, 0.3, 0.8, 1.8, 2.2, 1.6, 1.1, 0.9, 0.9, 1.1, 1.0, 0.8, 0.7, 0.8, 1.0, 1.4, 1.7, 1.6, 1.2, 0.8, 0.5];
        double[] daytime = [0.2, 0.2, 0.2, 0.2, 0.2, 0.4, 1.0, 1.6, 1.8, 1.6, 1.5, 1.8, 2.0, 1.6, 1.4, 1.3, 1.3, 1.2, 0.8, 0.4, 0.3, 0.2, 0.2, 0.2];
        var shape = new double[WeatherYear.Hours];
        for (var d = 0; d < 365; d++)
        {
            var seasonal = 1 + 0.05 * Math.Cos(2 * Math.PI * (d - 15) / 365.0);
            var weekend = dayTypes[d] >= 5;
            var day = type switch
            {
                SubscriberType.Housing => 1.0,
                SubscriberType.Industry => weekend ? 0.5 : 1.0,
                _ => weekend ? 0.3 : 1.0,
            };
            var hours = type == SubscriberType.Housing ? housing : daytime;
            for (var h = 0; h < 24; h++)
            {
                shape[d * 24 + h] = seasonal * day * hours[h];
            }
        }
        return shape;
    }

    private static double[] CoolingShape(SubscriberType type, WeatherYear weather, int[] dayTypes)
    {
        var shape = new double[WeatherYear.Hours];
        var degreeHours = weather.Temperature_c.Sum(t => Math.Max(0, t - 18));
        for (var hour = 0; hour < WeatherYear.Hours; hour++)
        {
            var d = hour / 24;
            var h = hour % 24;
            var occupied = type == SubscriberType.Housing || type == SubscriberType.Industry || (dayTypes[d] < 5 && h is >= 7 and < 19);
            var weatherPart = occupied ? Math.Max(0, weather.Temperature_c[hour] - 18) : 0.25 * Math.Max(0, weather.Temperature_c[hour] - 18);
            shape[hour] = 0.85 * weatherPart / Math.Max(degreeHours, 1) + 0.15 / WeatherYear.Hours;
        }
        return shape;
    }

    private static double[] Normalise(double[] shape)
    {
        var sum = shape.Sum();
        if (sum <= 0)
        {
            return shape;
        }
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] /= sum;
        }
        return shape;
    }
}
