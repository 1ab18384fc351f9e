using Socle.Modules.Loyalty.Analytics;

namespace Socle.Loyalty.Tests;

public class MathTests
{
    [Theory]
    [InlineData(1.0, 0.0)]
    [InlineData(2.0, 0.0)]
    [InlineData(0.5, 0.57236494292470008707)] // ln √π
    [InlineData(10.0, 12.801827480081469611)] // ln 9!
    [InlineData(100.0, 359.13420536957539878)] // ln 99!
    [InlineData(0.001, 6.9071788853838536)]
    [InlineData(3.7, 1.4280723266653883)] // C libm lgamma (Python math.lgamma)
    public void Log_gamma_matches_known_values(double x, double expected) =>
        Assert.Equal(expected, SpecialFunctions.LogGamma(x), Math.Max(1e-12, Math.Abs(expected) * 1e-13));

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.75)]
    [InlineData(0.95)]
    public void Hypergeometric_2F1_matches_closed_forms(double z)
    {
        // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z, and ₂F₁(a, b; b; z) = (1 − z)^−a
        Assert.Equal(-Math.Log(1 - z) / z, SpecialFunctions.Hypergeometric2F1(1, 1, 2, z), 1e-12);
        Assert.Equal(Math.Pow(1 - z, -0.7), SpecialFunctions.Hypergeometric2F1(0.7, 2.5, 2.5, z), 1e-11);
    }

    [Fact]
    public void Nelder_Mead_finds_the_Rosenbrock_minimum()
    {
        var result = NelderMead.Minimize(x => 100 * Math.Pow(x[1] - x[0] * x[0], 2) + Math.Pow(1 - x[0], 2), [-1.2, 1.0]);
        Assert.Equal(1.0, result.Point[0], 1e-5);
        Assert.Equal(1.0, result.Point[1], 1e-5);
    }
}
