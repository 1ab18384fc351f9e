namespace Socle.Modules.Loyalty.Analytics;

/// <summary>
/// Derivative-free minimisation (Nelder &amp; Mead 1965, with the standard coefficients 1, 2, ½, ½), restarted from the
/// best point until a restart no longer improves it — restarts cure the simplex's known habit of collapsing early.
/// The CLV fits run it on log-parameters, so every parameter stays positive.
/// </summary>
public static class NelderMead
{
    public sealed record Outcome(double[] Point, double Value, int Evaluations, int Restarts);

    public static Outcome Minimize(Func<double[], double> f, double[] start, double step = 0.5, double tolerance = 1e-10, int maxEvaluations = 200_000)
    {
        var best = (double[])start.Clone();
        var bestValue = Safe(f, best);
        var evaluations = 1;
        var restarts = 0;
        for (; restarts < 50 && evaluations < maxEvaluations; restarts++)
        {
            var (point, value, used) = Run(f, best, restarts == 0 ? step : step / 4, tolerance, maxEvaluations - evaluations);
            evaluations += used;
            var improved = bestValue - value;
            if (value < bestValue)
            {
                best = point;
                bestValue = value;
            }
            if (improved <= tolerance * (1 + Math.Abs(bestValue)))
            {
                break;
            }
        }
        return new Outcome(best, bestValue, evaluations, restarts);
    }

    private static double Safe(Func<double[], double> f, double[] x)
    {
        var v = f(x);
        return double.IsFinite(v) ? v : double.PositiveInfinity;
    }

    private static (double[] Point, double Value, int Evaluations) Run(Func<double[], double> f, double[] start, double step, double tolerance, int budget)
    {
        var n = start.Length;
        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        var evaluations = 0;
        for (var i = 0; i <= n; i++)
        {
            simplex[i] = (double[])start.Clone();
            if (i > 0)
            {
                simplex[i][i - 1] += step;
            }
            values[i] = Safe(f, simplex[i]);
            evaluations++;
        }
        var centroid = new double[n];
        var trial = new double[n];
        var trial2 = new double[n];
        while (evaluations < budget)
        {
            Array.Sort(values, simplex);
            if (Math.Abs(values[n] - values[0]) <= tolerance * (Math.Abs(values[0]) + tolerance) && Spread(simplex) < 1e-7)
            {
                break;
            }
            Array.Clear(centroid);
            for (var i = 0; i < n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    centroid[j] += simplex[i][j] / n;
                }
            }
            for (var j = 0; j < n; j++)
            {
                trial[j] = centroid[j] + (centroid[j] - simplex[n][j]);
            }
            var reflected = Safe(f, trial);
            evaluations++;
            if (reflected < values[0])
            {
                for (var j = 0; j < n; j++)
                {
                    trial2[j] = centroid[j] + 2 * (centroid[j] - simplex[n][j]);
                }
                var expanded = Safe(f, trial2);
                evaluations++;
                if (expanded < reflected)
                {
                    Replace(n, trial2, expanded);
                }
                else
                {
                    Replace(n, trial, reflected);
                }
                continue;
            }
            if (reflected < values[n - 1])
            {
                Replace(n, trial, reflected);
                continue;
            }
            var outside = reflected < values[n];
            for (var j = 0; j < n; j++)
            {
                trial2[j] = outside
                    ? centroid[j] + 0.5 * (trial[j] - centroid[j])
                    : centroid[j] + 0.5 * (simplex[n][j] - centroid[j]);
            }
            var contracted = Safe(f, trial2);
            evaluations++;
            if (contracted < (outside ? reflected : values[n]))
            {
                Replace(n, trial2, contracted);
                continue;
            }
            for (var i = 1; i <= n; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    simplex[i][j] = simplex[0][j] + 0.5 * (simplex[i][j] - simplex[0][j]);
                }
                values[i] = Safe(f, simplex[i]);
                evaluations++;
            }
        }
        Array.Sort(values, simplex);
        return (simplex[0], values[0], evaluations);

        void Replace(int index, double[] point, double value)
        {
            Array.Copy(point, simplex[index], point.Length);
            values[index] = value;
        }
    }

    private static double Spread(double[][] simplex)
    {
        var max = 0.0;
        for (var i = 1; i < simplex.Length; i++)
        {
            for (var j = 0; j < simplex[0].Length; j++)
            {
                max = Math.Max(max, Math.Abs(simplex[i][j] - simplex[0][j]));
            }
        }
        return max;
    }
}
