namespace Socle.Modules.Loyalty.Analytics;

/// <summary>Gamma-Gamma spend parameters: transaction values ~ Gamma(p, ν), ν ~ Gamma(q, γ) (γ written v as in lifetimes).</summary>
public sealed record GammaGammaParameters(double P, double Q, double V);

/// <summary>
/// The Gamma-Gamma model of monetary value (Fader, Hardie &amp; Lee, "RFM and CLV", JMR 2005), fitted on customers with at
/// least one repeat purchase. One customer with x repeat purchases of mean m contributes
/// <code>
/// ln L = ln Γ(px+q) − ln Γ(px) − ln Γ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(xm + v)
/// </code>
/// </summary>
public static class GammaGamma
{
    public sealed record Fit(GammaGammaParameters Parameters, double LogLikelihood, int Customers, int Evaluations);

    public static Fit FitParameters(IEnumerable<CustomerHistory> customers)
    {
        var groups = customers
            .Where(c => c.Frequency > 0 && c.MonetaryValue > 0)
            .GroupBy(c => (c.Frequency, c.MonetaryValue))
            .Select(g => (X: g.Key.Frequency, M: g.Key.MonetaryValue, Count: (double)g.Count()))
            .ToArray();
        var n = groups.Sum(g => g.Count);
        if (n == 0)
        {
            throw new ArgumentException("no repeat customers with a monetary value to fit", nameof(customers));
        }
        // what does not depend on the parameters is computed once: ln m, ln x, the counts per distinct x and Σ count·x·ln m
        var xs = groups.Select(g => g.X).Distinct().Order().ToArray();
        var xIndex = xs.Select((x, i) => (x, i)).ToDictionary(p => p.x, p => p.i);
        var gx = groups.Select(g => xIndex[g.X]).ToArray();
        var xm = groups.Select(g => g.X * g.M).ToArray();
        var count = groups.Select(g => g.Count).ToArray();
        var xCount = new double[xs.Length];
        var sumLogM = 0.0;      // Σ count · ln m
        var sumXLogM = 0.0;     // Σ count · x · ln m
        var sumXLogX = 0.0;     // Σ count · x · ln x
        foreach (var (x, m, c) in groups)
        {
            xCount[xIndex[x]] += c;
            sumLogM += c * Math.Log(m);
            sumXLogM += c * x * Math.Log(m);
            sumXLogX += c * x * Math.Log(x);
        }
        double LogLikelihood(GammaGammaParameters g)
        {
            var (p, q, v) = (g.P, g.Q, g.V);
            var total = n * (q * Math.Log(v) - SpecialFunctions.LogGamma(q)) + p * sumXLogM - sumLogM + p * sumXLogX;
            for (var k = 0; k < xs.Length; k++)
            {
                var px = p * xs[k];
                total += xCount[k] * (SpecialFunctions.LogGamma(px + q) - SpecialFunctions.LogGamma(px));
            }
            for (var i = 0; i < count.Length; i++)
            {
                total -= count[i] * (p * xs[gx[i]] + q) * Math.Log(xm[i] + v);
            }
            return total;
        }
        var outcome = NelderMead.Minimize(theta =>
            -LogLikelihood(new GammaGammaParameters(Math.Exp(theta[0]), Math.Exp(theta[1]), Math.Exp(theta[2]))) / n, [0, 0, 0]);
        var fitted = new GammaGammaParameters(Math.Exp(outcome.Point[0]), Math.Exp(outcome.Point[1]), Math.Exp(outcome.Point[2]));
        return new Fit(fitted, -outcome.Value * n, (int)n, outcome.Evaluations);
    }

    /// <summary>E[Z | x, m]: the expected mean spend of a customer (population mean p·v/(q−1) when x = 0).</summary>
    public static double ConditionalExpectedAverageProfit(GammaGammaParameters g, double x, double m) =>
        g.P * (g.V + x * m) / (g.P * x + g.Q - 1);

    /// <summary>
    /// Customer lifetime value by discounted cash flow: Σᵢ₌₁ⁿ E[Z] · (E[Y(i·Δ)] − E[Y((i−1)·Δ)]) / (1+d)ⁱ, over n periods of
    /// Δ model time units each (a month is 4.345 weeks), with the period discount rate d.
    /// </summary>
    public static double CustomerLifetimeValue(BetaGeoParameters bg, GammaGammaParameters gg, CustomerHistory c, int periods, double unitsPerPeriod, double discountRate)
    {
        var profit = ConditionalExpectedAverageProfit(gg, c.Frequency, c.MonetaryValue);
        var clv = 0.0;
        var previous = 0.0;
        for (var i = 1; i <= periods; i++)
        {
            var cumulative = BetaGeo.ConditionalExpectedPurchases(bg, i * unitsPerPeriod, c.Frequency, c.Recency, c.Age);
            clv += profit * (cumulative - previous) / Math.Pow(1 + discountRate, i);
            previous = cumulative;
        }
        return clv;
    }
}
