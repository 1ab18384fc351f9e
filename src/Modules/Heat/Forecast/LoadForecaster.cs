using System.Globalization;
using Socle.Platform;

namespace Socle.Modules.Heat.Forecast;

/// <summary>An hourly history: load and outdoor temperature, hour 0 = 1 January 00:00 of <see cref="Year"/>.</summary>
public sealed record LoadHistory(int Year, double[] Load_kw, double[] Temperature_c)
{
    /// <summary>
    /// Reads a measured history CSV: header with <c>load_kw</c> and <c>temperature_c</c> (and optionally <c>time</c>), one
    /// row per hour from 1 January 00:00; at least 28 days. A gap is an error naming its line.
    /// </summary>
    public static Result<LoadHistory> FromCsv(string csv, int year)
    {
        var lines = csv.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        if (lines.Count < 2)
        {
            return Error.Validation("history", "is empty");
        }
        var sep = lines[0].Contains(';') ? ';' : ',';
        var header = lines[0].Split(sep).Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var l = Array.IndexOf(header, "load_kw");
        var t = Array.IndexOf(header, "temperature_c");
        if (l < 0 || t < 0)
        {
            return Error.Validation("history", "line 1: needs the columns load_kw and temperature_c");
        }
        var load = new List<double>();
        var temp = new List<double>();
        for (var i = 1; i < lines.Count; i++)
        {
            var cells = lines[i].Split(sep);
            if (cells.Length <= Math.Max(l, t)
                || !double.TryParse(cells[l], NumberStyles.Float, CultureInfo.InvariantCulture, out var lv) || !double.IsFinite(lv) || lv < 0
                || !double.TryParse(cells[t], NumberStyles.Float, CultureInfo.InvariantCulture, out var tv) || tv is < -60 or > 60)
            {
                return Error.Validation("history", $"line {i + 1}: needs a load (kW, ≥ 0) and a temperature (°C)");
            }
            load.Add(lv);
            temp.Add(tv);
        }
        if (load.Count < 28 * 24)
        {
            return Error.Validation("history", $"{load.Count} hours: at least 28 days (672 hours) are needed to train a forecast");
        }
        if (load.Count > 366 * 24 * 5)
        {
            return Error.Validation("history", "more than five years of hours");
        }
        return new LoadHistory(year, [.. load], [.. temp]);
    }
}

public sealed record BacktestError(int Days, double Mape, double Rmse_kw, double PeakError, double Bias_kw);

public sealed record DayForecast(DateOnly Date, double[] Load_kw, double Peak_kw, int PeakHour, double Energy_mwh, BacktestError Backtest);

/// <summary>
/// Next-day hourly load forecast: a linear regression, fitted by least squares (ridge 1e-6), of the hourly load on
/// <list type="bullet">
/// <item>one level per hour of the day and day type (working day, Saturday, Sunday or public holiday): 72 terms;</item>
/// <item>heating degrees max(0, 17 − T) per hour of the day (24 terms) and their square: how the load rises with cold;</item>
/// <item>the previous day's mean heating degrees (the buildings' thermal inertia).</item>
/// </list>
/// Its error is back-tested by rolling origin: for each of the last test days, a model trained only on the days before
/// forecasts the day from its (known) temperatures; MAPE, RMSE, daily-peak error and bias are reported.
/// </summary>
public sealed class LoadForecaster
{
    private const int Features = 72 + 24 + 2;
    private const double Base_c = 17;
    private readonly int[] _dayTypes;

    private LoadForecaster(int year) => _dayTypes = Demand.Calendar.DayTypes(year);

    private static int Kind(int dayType) => dayType <= 4 ? 0 : dayType == 5 ? 1 : 2;

    private void Row(Span<double> x, int hour, double temperature_c, double previousDayHdd, int dayType)
    {
        x.Clear();
        var h = hour % 24;
        x[Kind(dayType) * 24 + h] = 1;
        var hdd = Math.Max(0, Base_c - temperature_c);
        x[72 + h] = hdd;
        x[96] = hdd * hdd / 10;
        x[97] = previousDayHdd;
    }

    private static double[] DailyHdd(double[] temperature)
    {
        var days = temperature.Length / 24;
        var hdd = new double[days];
        for (var d = 0; d < days; d++)
        {
            double s = 0;
            for (var h = 0; h < 24; h++)
            {
                s += Math.Max(0, Base_c - temperature[d * 24 + h]);
            }
            hdd[d] = s / 24;
        }
        return hdd;
    }

    private int DayType(int day) => _dayTypes[Math.Min(day, _dayTypes.Length - 1) % 365];

    /// <summary>Trains on the whole history and forecasts the day after it from <paramref name="forecast_c"/> (24 temperatures).</summary>
    public static Result<DayForecast> Forecast(LoadHistory history, double[] forecast_c, int testDays = 28)
    {
        if (forecast_c.Length != 24 || forecast_c.Any(t => !double.IsFinite(t) || t is < -60 or > 60))
        {
            return Error.Validation("forecast_c", "needs 24 hourly temperatures (°C) for the next day");
        }
        if (history.Load_kw.Length != history.Temperature_c.Length || history.Load_kw.Length < 28 * 24)
        {
            return Error.Validation("history", "needs at least 28 days of hourly load and temperature");
        }
        var model = new LoadForecaster(history.Year);
        var days = history.Load_kw.Length / 24;
        var hdd = DailyHdd(history.Temperature_c);
        var backtest = model.Backtest(history, hdd, Math.Clamp(testDays, 1, Math.Max(1, days - 21)));
        var (xtx, xty) = (new double[Features * Features], new double[Features]);
        model.Accumulate(history, hdd, 0, days, xtx, xty);
        var beta = Solve(xtx, xty);
        var date = new DateOnly(history.Year, 1, 1).AddDays(days);
        var next = new LoadForecaster(date.Year);
        var dayOfYear = date.DayOfYear - 1;
        var load = new double[24];
        Span<double> x = stackalloc double[Features];
        for (var h = 0; h < 24; h++)
        {
            next.Row(x, h, forecast_c[h], hdd[days - 1], next.DayType(dayOfYear));
            load[h] = Math.Max(0, Dot(x, beta));
        }
        var peak = load.Max();
        return new DayForecast(date, load, peak, Array.IndexOf(load, peak), load.Sum() / 1000, backtest);
    }

    private void Accumulate(LoadHistory history, double[] hdd, int fromDay, int toDay, double[] xtx, double[] xty)
    {
        Span<double> x = stackalloc double[Features];
        for (var d = Math.Max(fromDay, 1); d < toDay; d++)
        {
            for (var h = 0; h < 24; h++)
            {
                var i = d * 24 + h;
                Row(x, h, history.Temperature_c[i], hdd[d - 1], DayType(d));
                var y = history.Load_kw[i];
                for (var a = 0; a < Features; a++)
                {
                    if (x[a] == 0)
                    {
                        continue;
                    }
                    xty[a] += x[a] * y;
                    for (var b = 0; b < Features; b++)
                    {
                        xtx[a * Features + b] += x[a] * x[b];
                    }
                }
            }
        }
    }

    private BacktestError Backtest(LoadHistory history, double[] hdd, int testDays)
    {
        var days = history.Load_kw.Length / 24;
        var first = days - testDays;
        var xtx = new double[Features * Features];
        var xty = new double[Features];
        Accumulate(history, hdd, 0, first, xtx, xty);
        double ape = 0, se = 0, bias = 0, peakError = 0;
        var counted = 0;
        var hours = 0;
        var peakLoad = history.Load_kw.Max();
        Span<double> x = stackalloc double[Features];
        for (var d = first; d < days; d++)
        {
            var beta = Solve((double[])xtx.Clone(), (double[])xty.Clone());
            double predictedPeak = 0, actualPeak = 0;
            for (var h = 0; h < 24; h++)
            {
                var i = d * 24 + h;
                Row(x, h, history.Temperature_c[i], hdd[d - 1], DayType(d));
                var p = Math.Max(0, Dot(x, beta));
                var a = history.Load_kw[i];
                se += (p - a) * (p - a);
                bias += p - a;
                hours++;
                if (a > 0.05 * peakLoad)
                {
                    ape += Math.Abs(p - a) / a;
                    counted++;
                }
                predictedPeak = Math.Max(predictedPeak, p);
                actualPeak = Math.Max(actualPeak, a);
            }
            peakError += actualPeak > 0 ? Math.Abs(predictedPeak - actualPeak) / actualPeak : 0;
            Accumulate(history, hdd, d, d + 1, xtx, xty); // the day is now history
        }
        return new BacktestError(testDays, counted > 0 ? ape / counted : 0, Math.Sqrt(se / Math.Max(1, hours)), peakError / testDays, bias / Math.Max(1, hours));
    }

    private static double Dot(ReadOnlySpan<double> x, double[] beta)
    {
        double s = 0;
        for (var i = 0; i < x.Length; i++)
        {
            s += x[i] * beta[i];
        }
        return s;
    }

    /// <summary>Solves (XᵀX + εI)β = Xᵀy by dense Cholesky (ε = 1e-6 of the mean diagonal: features never seen stay at zero).</summary>
    private static double[] Solve(double[] a, double[] b)
    {
        const int n = Features;
        double trace = 0;
        for (var i = 0; i < n; i++)
        {
            trace += a[i * n + i];
        }
        var ridge = Math.Max(1e-9, 1e-6 * trace / n);
        for (var i = 0; i < n; i++)
        {
            a[i * n + i] += ridge;
        }
        for (var j = 0; j < n; j++)
        {
            var d = a[j * n + j];
            for (var k = 0; k < j; k++)
            {
                d -= a[j * n + k] * a[j * n + k];
            }
            d = Math.Sqrt(Math.Max(d, 1e-300));
            a[j * n + j] = d;
            for (var i = j + 1; i < n; i++)
            {
                var s = a[i * n + j];
                for (var k = 0; k < j; k++)
                {
                    s -= a[i * n + k] * a[j * n + k];
                }
                a[i * n + j] = s / d;
            }
        }
        var y = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = b[i];
            for (var k = 0; k < i; k++)
            {
                s -= a[i * n + k] * y[k];
            }
            y[i] = s / a[i * n + i];
        }
        for (var i = n - 1; i >= 0; i--)
        {
            var s = y[i];
            for (var k = i + 1; k < n; k++)
            {
                s -= a[k * n + i] * y[k];
            }
            y[i] = s / a[i * n + i];
        }
        return y;
    }
}
