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
        var data = Prepared.From(customers);
        if (data.Total == 0)
        {
            throw new ArgumentException("no customers to fit", nameof(customers));
        }
        var outcome = NelderMead.Minimize(theta =>
            -data.LogLikelihood(new BetaGeoParameters(Math.Exp(theta[0]), Math.Exp(theta[1]), Math.Exp(theta[2]), Math.Exp(theta[3]))) / data.Total, [0, 0, 0, 0]);
        var fitted = new BetaGeoParameters(Math.Exp(outcome.Point[0]), Math.Exp(outcome.Point[1]), Math.Exp(outcome.Point[2]), Math.Exp(outcome.Point[3]));
        return new Fit(fitted, -outcome.Value * data.Total, (int)data.Total, outcome.Evaluations);
    }

    public static double LogLikelihood(BetaGeoParameters p, IEnumerable<CustomerHistory> customers) => Prepared.From(customers).LogLikelihood(p);

    /// <summary>
    /// The data arranged for fast evaluation: customers grouped by (x, tₓ, T); the terms that depend on the parameters only
    /// through x (the ln Γ) or through T are computed once per distinct x or T for each evaluation, leaving about three
    /// logarithms or exponentials per group.
    /// </summary>
    private sealed class Prepared
    {
        private int[] _xIndex = [], _tIndex = [];
        private double[] _tx = [], _count = [];
        private double[] _xs = [], _ts = [], _xCount = [];

        public double Total { get; private set; }

        public static Prepared From(IEnumerable<CustomerHistory> customers)
        {
            var groups = customers.GroupBy(c => (c.Frequency, c.Recency, c.Age)).Select(g => (g.Key.Frequency, g.Key.Recency, g.Key.Age, Count: (double)g.Count())).ToArray();
            var xs = groups.Select(g => g.Frequency).Distinct().Order().ToArray();
            var ts = groups.Select(g => g.Age).Distinct().Order().ToArray();
            var xIndex = xs.Select((x, i) => (x, i)).ToDictionary(p => p.x, p => p.i);
            var tIndex = ts.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
            var p = new Prepared
            {
                _xs = xs,
                _ts = ts,
                _xIndex = groups.Select(g => xIndex[g.Frequency]).ToArray(),
                _tIndex = groups.Select(g => tIndex[g.Age]).ToArray(),
                _tx = groups.Select(g => g.Recency).ToArray(),
                _count = groups.Select(g => g.Count).ToArray(),
                Total = groups.Sum(g => g.Count),
            };
            p._xCount = new double[xs.Length];
            for (var i = 0; i < groups.Length; i++)
            {
                p._xCount[p._xIndex[i]] += groups[i].Count;
            }
            return p;
        }

        public double LogLikelihood(BetaGeoParameters p)
        {
            var (r, alpha, a, b) = (p.R, p.Alpha, p.A, p.B);
            var constant = -SpecialFunctions.LogGamma(r) + r * Math.Log(alpha) + SpecialFunctions.LogGamma(a + b) - SpecialFunctions.LogGamma(b);
            var logA = Math.Log(a);
            Span<double> gammaTerms = _xs.Length <= 512 ? stackalloc double[_xs.Length] : new double[_xs.Length];
            Span<double> logB = _xs.Length <= 512 ? stackalloc double[_xs.Length] : new double[_xs.Length];
            var total = 0.0;
            for (var k = 0; k < _xs.Length; k++)
            {
                var x = _xs[k];
                gammaTerms[k] = SpecialFunctions.LogGamma(r + x) + SpecialFunctions.LogGamma(b + x) - SpecialFunctions.LogGamma(a + b + x);
                logB[k] = x > 0 ? Math.Log(b + x - 1) : 0;
                total += _xCount[k] * (constant + gammaTerms[k]);
            }
            Span<double> logT = _ts.Length <= 1024 ? stackalloc double[_ts.Length] : new double[_ts.Length];
            for (var k = 0; k < _ts.Length; k++)
            {
                logT[k] = Math.Log(alpha + _ts[k]);
            }
            for (var i = 0; i < _count.Length; i++)
            {
                var xi = _xIndex[i];
                var x = _xs[xi];
                var a3 = -(r + x) * logT[_tIndex[i]];
                if (x > 0)
                {
                    var a4 = logA - logB[xi] - (r + x) * Math.Log(alpha + _tx[i]);
                    var m = Math.Max(a3, a4);
                    total += _count[i] * (m + Math.Log(1 + Math.Exp(-Math.Abs(a3 - a4))));
                }
                else
                {
                    total += _count[i] * a3;
                }
            }
            return total;
        }
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
