namespace Socle.Modules.Loyalty.Analytics;

/// <summary>
/// One customer's purchase history as the BG/NBD and Gamma-Gamma models see it (Fader, Hardie &amp; Lee 2005):
/// <c>Frequency</c> x = repeat purchases (purchase days after the first), <c>Recency</c> tₓ = age at the last purchase,
/// <c>Age</c> T = age at the end of observation (both in the same time unit, weeks for CDNOW), and
/// <c>MonetaryValue</c> = mean value of the repeat purchases (the first purchase is left out, as in <c>lifetimes</c>).
/// </summary>
public readonly record struct CustomerHistory(double Frequency, double Recency, double Age, double MonetaryValue = 0);

/// <summary>BG/NBD parameters: the purchase rate λ ~ Gamma(r, α), the drop-out probability p ~ Beta(a, b).</summary>
public sealed record BetaGeoParameters(double R, double Alpha, double A, double B);

/// <summary>
/// The BG/NBD model ("Counting your customers the easy way", Fader, Hardie &amp; Lee, Marketing Science 2005), fitted by
/// maximum likelihood. The log-likelihood of one customer is
/// <code>
/// ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln Γ(a+b) + ln Γ(b+x) − ln Γ(b) − ln Γ(a+b+x)
///        + ln[ (α+T)^−(r+x) + δₓ₍&gt;0₎ a/(b+x−1) (α+tₓ)^−(r+x) ]
/// </code>
/// </summary>
public static class BetaGeo
{
    public sealed record Fit(BetaGeoParameters Parameters, double LogLikelihood, int Customers, int Evaluations);

    /// <summary>Fits r, α, a, b by maximising the likelihood (Nelder–Mead with restarts on log-parameters).</summary>
    public static Fit FitParameters(IEnumerable<CustomerHistory> customers)
    {
        // Customers with the same (x, tₓ, T) contribute the same term: group them, the fit then costs per distinct history.
        var groups = customers
            .GroupBy(c => (c.Frequency, c.Recency, c.Age))
            .Select(g => (g.Key.Frequency, g.Key.Recency, g.Key.Age, Count: (double)g.Count()))
            .ToArray();
        var n = groups.Sum(g => g.Count);
        if (n == 0)
        {
            throw new ArgumentException("no customers to fit", nameof(customers));
        }
        var outcome = NelderMead.Minimize(theta =>
        {
            var p = new BetaGeoParameters(Math.Exp(theta[0]), Math.Exp(theta[1]), Math.Exp(theta[2]), Math.Exp(theta[3]));
            return -Sum(p, groups) / n;
        }, [0, 0, 0, 0]);
        var fitted = new BetaGeoParameters(Math.Exp(outcome.Point[0]), Math.Exp(outcome.Point[1]), Math.Exp(outcome.Point[2]), Math.Exp(outcome.Point[3]));
        return new Fit(fitted, -outcome.Value * n, (int)n, outcome.Evaluations);
    }

    public static double LogLikelihood(BetaGeoParameters p, IEnumerable<CustomerHistory> customers) =>
        Sum(p, customers.Select(c => (c.Frequency, c.Recency, c.Age, 1.0)).ToArray());

    private static double Sum(BetaGeoParameters p, (double X, double Tx, double T, double Count)[] groups)
    {
        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var constant = -SpecialFunctions.LogGamma(r) + r * Math.Log(alpha) + SpecialFunctions.LogGamma(a + b) - SpecialFunctions.LogGamma(b);
        var total = 0.0;
        foreach (var (x, tx, T, count) in groups)
        {
            var a1a2 = SpecialFunctions.LogGamma(r + x) + SpecialFunctions.LogGamma(b + x) - SpecialFunctions.LogGamma(a + b + x);
            var a3 = -(r + x) * Math.Log(alpha + T);
            double tail;
            if (x > 0)
            {
                var a4 = Math.Log(a) - Math.Log(b + x - 1) - (r + x) * Math.Log(alpha + tx);
                var m = Math.Max(a3, a4);
                tail = m + Math.Log(Math.Exp(a3 - m) + Math.Exp(a4 - m));
            }
            else
            {
                tail = a3;
            }
            total += count * (constant + a1a2 + tail);
        }
        return total;
    }

    /// <summary>E[X(t)]: expected purchases of a new customer in a period of length t (equation 9 of the paper).</summary>
    public static double ExpectedPurchases(BetaGeoParameters p, double t)
    {
        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var hyp = SpecialFunctions.Hypergeometric2F1(r, b, a + b - 1, t / (alpha + t));
        return (a + b - 1) / (a - 1) * (1 - Math.Pow(alpha / (alpha + t), r) * hyp);
    }

    /// <summary>E[Y(t) | x, tₓ, T]: expected purchases in the next t of a customer with this history (equation 10).</summary>
    public static double ConditionalExpectedPurchases(BetaGeoParameters p, double t, double x, double tx, double T)
    {
        var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
        var hyp = SpecialFunctions.Hypergeometric2F1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
        var numerator = (a + b + x - 1) / (a - 1) * (1 - Math.Pow((alpha + T) / (alpha + T + t), r + x) * hyp);
        var denominator = x > 0 ? 1 + a / (b + x - 1) * Math.Pow((alpha + T) / (alpha + tx), r + x) : 1;
        return numerator / denominator;
    }

    /// <summary>P(alive | x, tₓ, T).</summary>
    public static double ProbabilityAlive(BetaGeoParameters p, double x, double tx, double T) =>
        x == 0 ? 1 : 1 / (1 + p.A / (p.B + x - 1) * Math.Pow((p.Alpha + T) / (p.Alpha + tx), p.R + x));
}
