namespace Socle.Modules.Heat.Hydraulics;

/// <summary>How the Darcy friction factor λ is computed in turbulent flow.</summary>
public enum FrictionModel
{
    /// <summary>Colebrook-White, 1/√λ = −2·log10(2.51/(Re·√λ) + k/(3.71·D)), solved by Newton to 1e-12.</summary>
    Colebrook,
    /// <summary>Swamee-Jain's explicit approximation of Colebrook, λ = 0.25/[log10(k/(3.7·D) + 5.74/Re^0.9)]².</summary>
    SwameeJain,
    /// <summary>
    /// pandapipes' default: the laminar and the fully rough terms added at every Reynolds number,
    /// λ = 64/Re + 1/(2·log10(3.71·D/k))² (Nikuradse's rough-pipe law).
    /// </summary>
    Nikuradse,
}

/// <summary>
/// Darcy friction factor λ(Re) and its derivative dλ/dRe, continuous over all regimes: laminar λ = 64/Re below
/// Re = 2000, turbulent (Colebrook or Swamee-Jain) above Re = 4000, and between them the cubic of Dunlop (1991) used by
/// EPANET, which joins the laminar value at 2000 to the turbulent value and slope at 4000.
/// </summary>
public static class Friction
{
    public const double LaminarLimit = 2000;
    public const double TurbulentLimit = 4000;

    /// <summary>Nikuradse's fully rough friction factor 1/(2·log10(3.71/(k/D)))², independent of Re.</summary>
    public static double FullyRough(double relativeRoughness)
    {
        var x = 2.0 * Math.Log10(3.71 / Math.Max(relativeRoughness, 1e-12));
        return 1.0 / (x * x);
    }

    /// <summary>λ and dλ/dRe at Reynolds number <paramref name="re"/> (≥ 0) for relative roughness k/D.</summary>
    public static (double Lambda, double DLambdaDRe) Factor(double re, double relativeRoughness, FrictionModel model)
    {
        if (model == FrictionModel.Nikuradse)
        {
            var rn = Math.Max(re, 1e-9);
            return (64.0 / rn + FullyRough(relativeRoughness), -64.0 / (rn * rn));
        }
        if (re < LaminarLimit)
        {
            var r = Math.Max(re, 1e-9);
            return (64.0 / r, -64.0 / (r * r));
        }
        if (re >= TurbulentLimit)
        {
            return Turbulent(re, relativeRoughness, model);
        }
        // Dunlop's cubic in x = Re/2000 between (x=1, λ=0.032, laminar) and (x=2, λ and slope of the turbulent law).
        var (l4, d4) = Turbulent(TurbulentLimit, relativeRoughness, model);
        var x = re / LaminarLimit;
        // Hermite basis on [1, 2] with the laminar value and slope at x = 1 and the turbulent ones at x = 2.
        var p0 = 64.0 / LaminarLimit;
        var m0 = -64.0 / LaminarLimit;          // dλ/dx of 64/(2000x) at x = 1
        var p1 = l4;
        var m1 = d4 * LaminarLimit;             // dλ/dx at x = 2
        var s = x - 1.0;
        var s2 = s * s;
        var s3 = s2 * s;
        var h00 = 2 * s3 - 3 * s2 + 1;
        var h10 = s3 - 2 * s2 + s;
        var h01 = -2 * s3 + 3 * s2;
        var h11 = s3 - s2;
        var lambda = h00 * p0 + h10 * m0 + h01 * p1 + h11 * m1;
        var dh00 = 6 * s2 - 6 * s;
        var dh10 = 3 * s2 - 4 * s + 1;
        var dh01 = -6 * s2 + 6 * s;
        var dh11 = 3 * s2 - 2 * s;
        var dLambdaDx = dh00 * p0 + dh10 * m0 + dh01 * p1 + dh11 * m1;
        return (lambda, dLambdaDx / LaminarLimit);
    }

    private static (double Lambda, double DLambdaDRe) Turbulent(double re, double relativeRoughness, FrictionModel model)
    {
        if (model == FrictionModel.SwameeJain)
        {
            var a = relativeRoughness / 3.7 + 5.74 / Math.Pow(re, 0.9);
            var lg = Math.Log10(a);
            var lambdaSj = 0.25 / (lg * lg);
            // dλ/dRe = −0.5/lg³ · (1/(a ln10)) · da/dRe, da/dRe = −0.9·5.74·Re^−1.9
            var da = -0.9 * 5.74 * Math.Pow(re, -1.9);
            return (lambdaSj, -0.5 / (lg * lg * lg) / (a * Math.Log(10)) * da);
        }
        // Colebrook in x = 1/√λ: F(x) = x + 2·log10(c + b·x/Re) = 0, c = k/(3.71 D), b = 2.51.
        var c = relativeRoughness / 3.71;
        const double b = 2.51;
        var swamee = 0.25 / Math.Pow(Math.Log10(relativeRoughness / 3.7 + 5.74 / Math.Pow(re, 0.9)), 2);
        var x = 1.0 / Math.Sqrt(swamee);
        for (var i = 0; i < 50; i++)
        {
            var arg = c + b * x / re;
            var f = x + 2.0 * Math.Log10(arg);
            var fx = 1.0 + 2.0 / Math.Log(10) * (b / re) / arg;
            var dx = f / fx;
            x -= dx;
            if (Math.Abs(dx) < 1e-13 * x)
            {
                break;
            }
        }
        var argF = c + b * x / re;
        var fX = 1.0 + 2.0 / Math.Log(10) * (b / re) / argF;
        var fRe = 2.0 / Math.Log(10) * (-b * x / (re * re)) / argF;
        var dxdRe = -fRe / fX;
        var lambda = 1.0 / (x * x);
        return (lambda, -2.0 / (x * x * x) * dxdRe);
    }
}
