using System.Globalization;
using Socle.Modules.Loyalty.Analytics;
using Socle.Testing;

namespace Socle.Loyalty.Tests;

/// <summary>
/// The CLV models against the published fits of the <c>lifetimes</c> library on the same CDNOW files
/// (data/loyalty/cdnow, from lifetimes/datasets). Published figures:
/// <list type="bullet">
/// <item>BG/NBD on cdnow_customers_summary.csv, penalizer 0: the summary table of <c>BetaGeoFitter().fit(...)</c> prints
/// r = 0.242593, alpha = 4.413532, a = 0.792886, b = 2.425752 (docs print 0.24 / 4.41 / 0.79 / 2.43; Fader, Hardie &amp; Lee
/// 2005 report 0.243, 4.414, 0.793, 2.426).</item>
/// <item>Gamma-Gamma on the 946 repeat customers of cdnow_customers_summary_with_transactions.csv: docs/Quickstart.md prints
/// p 6.25, q 3.74, v 15.45, the conditional expected average profit of customers 1–10 (24.658619, 18.911489, 35.170981, …)
/// and the 12-"month" CLV of customers 1–10 (140.096211, 18.943467, 38.180574, …, 1003.868107).</item>
/// </list>
/// </summary>
public class ClvTests
{
    private static List<(string Id, CustomerHistory History)> Summary()
    {
        var rows = new List<(string, CustomerHistory)>();
        foreach (var line in File.ReadLines(TestData.Path("loyalty", "cdnow", "cdnow_customers_summary.csv")).Skip(1))
        {
            var f = line.Split(',');
            rows.Add((f[0], new CustomerHistory(D(f[1]), D(f[2]), D(f[3]))));
        }
        return rows;
    }

    private static List<(string Id, CustomerHistory History)> SummaryWithSpend()
    {
        var rows = new List<(string, CustomerHistory)>();
        foreach (var line in File.ReadLines(TestData.Path("loyalty", "cdnow", "cdnow_customers_summary_with_transactions.csv")).Skip(1))
        {
            var f = line.Split(',');
            rows.Add((f[0], new CustomerHistory(D(f[1]), D(f[2]), D(f[3]), D(f[4]))));
        }
        return rows;
    }

    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    [Fact]
    public void BG_NBD_on_the_CDNOW_summary_reproduces_the_lifetimes_fit_to_1e_3()
    {
        var customers = Summary();
        Assert.Equal(2357, customers.Count);
        var fit = BetaGeo.FitParameters(customers.Select(c => c.History));
        Assert.Equal(0.242593, fit.Parameters.R, 1e-3);
        Assert.Equal(4.413532, fit.Parameters.Alpha, 1e-3);
        Assert.Equal(0.792886, fit.Parameters.A, 1e-3);
        Assert.Equal(2.425752, fit.Parameters.B, 1e-3);
        // the maximum is a maximum: nudging any parameter lowers the likelihood
        var p = fit.Parameters;
        foreach (var nudged in new[] { p with { R = p.R * 1.01 }, p with { Alpha = p.Alpha * 1.01 }, p with { A = p.A * 1.01 }, p with { B = p.B * 0.99 } })
        {
            Assert.True(BetaGeo.LogLikelihood(nudged, customers.Select(c => c.History)) < fit.LogLikelihood);
        }
    }

    [Fact]
    public void Expected_purchases_of_a_new_customer_match_the_published_values()
    {
        // lifetimes' tests of BetaGeoFitter.expected_number_of_purchases_up_to_time on the fitted CDNOW parameters, as
        // gathered in the research notes: t = 0.1429, 1, 3, 31.8571, 32 weeks → 0.0078, 0.0532, 0.1506, 1.0405, 1.0437.
        // (The notes also list 1.8576 at 78 weeks; the formula gives 1.8580 there, so that one figure is not used.)
        var p = new BetaGeoParameters(0.242593, 4.413532, 0.792886, 2.425752);
        Assert.Equal(0.0078, BetaGeo.ExpectedPurchases(p, 0.1429), 1e-4);
        Assert.Equal(0.0532, BetaGeo.ExpectedPurchases(p, 1), 1e-4);
        Assert.Equal(0.1506, BetaGeo.ExpectedPurchases(p, 3), 1e-4);
        Assert.Equal(1.0405, BetaGeo.ExpectedPurchases(p, 31.8571), 1e-4);
        Assert.Equal(1.0437, BetaGeo.ExpectedPurchases(p, 32), 1e-4);
    }

    [Fact]
    public void Gamma_Gamma_on_the_CDNOW_repeat_customers_reproduces_the_lifetimes_fit()
    {
        var customers = SummaryWithSpend();
        var fit = GammaGamma.FitParameters(customers.Select(c => c.History));
        Assert.Equal(946, fit.Customers);
        // printed with two decimals: p 6.25, q 3.74, v 15.45
        Assert.Equal(6.25, fit.Parameters.P, 0.005);
        Assert.Equal(3.74, fit.Parameters.Q, 0.005);
        Assert.Equal(15.45, fit.Parameters.V, 0.005);
        // printed with six decimals: the conditional expected average profit of customers 1 to 10
        double[] published = [24.658619, 18.911489, 35.170981, 35.170981, 35.170981, 71.462843, 18.911489, 35.170981, 27.282408, 35.170981];
        for (var i = 0; i < 10; i++)
        {
            var c = customers[i].History;
            Assert.Equal(published[i], GammaGamma.ConditionalExpectedAverageProfit(fit.Parameters, c.Frequency, c.MonetaryValue), 1e-3);
        }
        var mean = customers.Select(c => GammaGamma.ConditionalExpectedAverageProfit(fit.Parameters, c.History.Frequency, c.History.MonetaryValue)).Average();
        Assert.Equal(35.2529588256, mean, 1e-3);
    }

    [Fact]
    public void Customer_lifetime_value_matches_the_published_DCF_figures()
    {
        // Quickstart: ggf.customer_lifetime_value(bgf, …, time=12, discount_rate=0.01) with lifetimes' default freq "D",
        // i.e. 30 model time units per period — on this weekly data, steps of 30 weeks.
        var customers = SummaryWithSpend();
        var bg = BetaGeo.FitParameters(customers.Select(c => c.History)).Parameters;
        var gg = GammaGamma.FitParameters(customers.Select(c => c.History)).Parameters;
        double[] published = [140.096211, 18.943467, 38.180574, 38.180574, 38.180574, 1003.868107, 28.109683, 38.180574, 167.418216, 38.180574];
        for (var i = 0; i < 10; i++)
        {
            var clv = GammaGamma.CustomerLifetimeValue(bg, gg, customers[i].History, 12, 30, 0.01);
            Assert.Equal(published[i], clv, published[i] * 1e-3);
        }
    }

    [Fact]
    public void The_CDNOW_master_file_becomes_the_published_customer_histories()
    {
        using var reader = File.OpenText(TestData.Path("loyalty", "cdnow", "CDNOW_master.txt"));
        var purchases = CustomerHistories.ReadCdnowMaster(reader).ToList();
        Assert.Equal(69_659, purchases.Count);
        // the first 39 weeks (to 1997-09-30) of the 1/10 sample's customers are the published summary
        var summary = Summary().ToDictionary(c => c.Id);
        var sampleIds = File.ReadLines(TestData.Path("loyalty", "cdnow", "CDNOW_sample.txt"))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Select(f => (Master: f[0], Sample: int.Parse(f[1], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)))
            .Distinct().ToDictionary(x => x.Master, x => x.Sample);
        var histories = CustomerHistories.FromPurchases(purchases.Where(p => sampleIds.ContainsKey(p.Customer)), new DateOnly(1997, 9, 30));
        Assert.Equal(2357, histories.Count);
        var matches = histories.Count(h => summary.TryGetValue(sampleIds[h.Key], out var s)
            && s.History.Frequency == h.Value.Frequency && Math.Abs(s.History.Recency - h.Value.Recency) < 0.006 && Math.Abs(s.History.Age - h.Value.Age) < 0.006);
        Assert.Equal(2357, matches);
        var all = CustomerHistories.FromPurchases(purchases, new DateOnly(1998, 6, 30));
        Assert.Equal(23_570, all.Count);
    }
}
