namespace Socle.Modules.Loyalty.Analytics;

/// <summary>
/// The special functions the CLV models need, written here rather than taken from a numerics package.
/// </summary>
public static class SpecialFunctions
{
    private const double HalfLog2Pi = 0.91893853320467274178; // ln √(2π)

    /// <summary>
    /// ln Γ(x) for x &gt; 0: Stirling's series with seven correction terms for x ≥ 10 (error below 1e-16 relative there),
    /// and Γ(x) = Γ(x + n) / (x (x+1) … (x+n−1)) to get there from smaller x; the reflection formula below 0.5.
    /// </summary>
    public static double LogGamma(double x)
    {
        if (double.IsNaN(x) || x <= 0 && Math.Floor(x) == x)
        {
            return double.NaN;
        }
        if (x < 0.5)
        {
            // Γ(x)Γ(1−x) = π / sin(πx)
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }
        var shift = 0.0;
        if (x < 10)
        {
            var product = 1.0;
            while (x < 10)
            {
                product *= x;
                x += 1;
            }
            shift = Math.Log(product);
        }
        var z2 = 1 / (x * x);
        var series = (1.0 / 12 + z2 * (-1.0 / 360 + z2 * (1.0 / 1260 + z2 * (-1.0 / 1680 + z2 * (1.0 / 1188 + z2 * (-691.0 / 360360 + z2 * (1.0 / 156))))))) / x;
        return (x - 0.5) * Math.Log(x) - x + HalfLog2Pi + series - shift;
    }

    /// <summary>
    /// The Gauss hypergeometric function ₂F₁(a, b; c; z) for |z| &lt; 1 by its power series
    /// Σ (a)ₖ(b)ₖ / ((c)ₖ k!) zᵏ, summed until the terms no longer change the sum in double precision.
    /// </summary>
    public static double Hypergeometric2F1(double a, double b, double c, double z)
    {
        if (Math.Abs(z) >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(z), z, "the series needs |z| < 1");
        }
        double sum = 1, term = 1;
        for (var k = 0; k < 100_000; k++)
        {
            term *= (a + k) * (b + k) / ((c + k) * (k + 1)) * z;
            sum += term;
            if (Math.Abs(term) <= 1e-16 * Math.Abs(sum))
            {
                return sum;
            }
        }
        return sum;
    }
}
