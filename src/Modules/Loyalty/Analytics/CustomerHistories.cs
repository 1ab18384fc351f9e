using System.Globalization;

namespace Socle.Modules.Loyalty.Analytics;

/// <summary>One purchase: who, when (a calendar day is enough) and how much.</summary>
public readonly record struct PurchaseRecord(string Customer, DateOnly Day, decimal Amount);

/// <summary>
/// Turns transactions into the (x, tₓ, T, m) histories the CLV models take, the way <c>lifetimes</c>'
/// <c>summary_data_from_transaction_data</c> does: purchases on one day count as one purchase (their amounts add up),
/// x = purchase days − 1, tₓ and T in weeks (days ÷ 7) from the first purchase to the last one and to the end of
/// observation, m = mean of the repeat purchase days (the first purchase day is left out).
/// </summary>
public static class CustomerHistories
{
    public const double DaysPerWeek = 7.0;

    public static Dictionary<string, CustomerHistory> FromPurchases(IEnumerable<PurchaseRecord> purchases, DateOnly observationEnd)
    {
        var days = new Dictionary<string, SortedDictionary<DateOnly, decimal>>(StringComparer.Ordinal);
        foreach (var p in purchases)
        {
            if (p.Day > observationEnd)
            {
                continue;
            }
            if (!days.TryGetValue(p.Customer, out var d))
            {
                d = [];
                days[p.Customer] = d;
            }
            d[p.Day] = d.GetValueOrDefault(p.Day) + p.Amount;
        }
        var result = new Dictionary<string, CustomerHistory>(days.Count, StringComparer.Ordinal);
        foreach (var (customer, d) in days)
        {
            var first = d.Keys.First();
            var last = d.Keys.Last();
            var x = d.Count - 1;
            var repeat = x == 0 ? 0 : (double)d.Skip(1).Sum(kv => kv.Value) / x;
            result[customer] = new CustomerHistory(x, (last.DayNumber - first.DayNumber) / DaysPerWeek, (observationEnd.DayNumber - first.DayNumber) / DaysPerWeek, repeat);
        }
        return result;
    }

    /// <summary>
    /// Reads CDNOW_master.txt (Fader &amp; Hardie): whitespace-separated customer id, date yyyyMMdd, number of CDs, dollar value.
    /// A header line, if any, is skipped.
    /// </summary>
    public static IEnumerable<PurchaseRecord> ReadCdnowMaster(TextReader reader)
    {
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 4 || !DateOnly.TryParseExact(parts[1], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            {
                continue;
            }
            yield return new PurchaseRecord(parts[0], day, decimal.Parse(parts[3], CultureInfo.InvariantCulture));
        }
    }
}
