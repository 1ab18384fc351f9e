namespace Socle.Modules.Loyalty.Analytics;

/// <summary>One customer's RFM inputs: days since the last purchase, number of purchases, total spent.</summary>
public readonly record struct RfmInput(string Customer, double RecencyDays, long Frequency, decimal Monetary);

public sealed record RfmScore(string Customer, int R, int F, int M, int Score, string Segment);

/// <summary>
/// RFM scoring as the R package <c>rfm</c> does it: each measure cut into five quantile bins (1 to 5), recency reversed
/// (the most recent get 5), and the score R×100 + F×10 + M. Ties share a bin (the bin of their first rank). Named segments
/// follow the common mapping on R and F.
/// </summary>
public static class Rfm
{
    public static IReadOnlyList<RfmScore> Score(IReadOnlyList<RfmInput> customers)
    {
        var r = Bins(customers, c => -c.RecencyDays);
        var f = Bins(customers, c => c.Frequency);
        var m = Bins(customers, c => (double)c.Monetary);
        return customers.Select((c, i) => new RfmScore(c.Customer, r[i], f[i], m[i], r[i] * 100 + f[i] * 10 + m[i], Segment(r[i], f[i]))).ToList();
    }

    /// <summary>Quintile bins by rank: higher values get higher bins; equal values share the bin of the first of them.</summary>
    public static int[] Bins(IReadOnlyList<RfmInput> customers, Func<RfmInput, double> value)
    {
        var n = customers.Count;
        var order = Enumerable.Range(0, n).OrderBy(i => value(customers[i])).ToArray();
        var bins = new int[n];
        var rank = 0;
        while (rank < n)
        {
            var v = value(customers[order[rank]]);
            var end = rank;
            while (end < n && value(customers[order[end]]) == v)
            {
                end++;
            }
            var bin = rank * 5 / n + 1;
            for (var k = rank; k < end; k++)
            {
                bins[order[k]] = bin;
            }
            rank = end;
        }
        return bins;
    }

    public static readonly string[] Segments = ["champions", "loyal", "new", "promising", "at_risk", "need_attention", "hibernating"];

    public static string Segment(int r, int f) => (r, f) switch
    {
        ( >= 4, >= 4) => "champions",
        ( >= 3, >= 3) => "loyal",
        ( >= 4, <= 1) => "new",
        ( >= 3, _) => "promising",
        ( <= 2, >= 4) => "at_risk",
        ( <= 2, >= 2) => "need_attention",
        _ => "hibernating",
    };
}
