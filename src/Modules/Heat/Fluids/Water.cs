namespace Socle.Modules.Heat.Fluids;

/// <summary>Properties of the heat-carrying liquid, as functions of temperature (K) and pressure (Pa).</summary>
public interface IFluid
{
    string Name { get; }

    double Density_kg_per_m3(double temperature_k, double pressure_pa);

    double HeatCapacity_j_per_kg_k(double temperature_k, double pressure_pa);

    double Viscosity_pa_s(double temperature_k, double pressure_pa);
}

/// <summary>A liquid with constant properties (what pandapipes' OpenModelica test networks declare: water at 20 °C).</summary>
public sealed record ConstantFluid(string Name, double Density, double HeatCapacity, double Viscosity) : IFluid
{
    /// <summary>Water at 20 °C as declared by the pandapipes OpenModelica test networks.</summary>
    public static readonly ConstantFluid Water20C = new("water-20C", 998.2060924679472, 4184.777801948556, 0.001001605325647912);

    public double Density_kg_per_m3(double temperature_k, double pressure_pa) => Density;

    public double HeatCapacity_j_per_kg_k(double temperature_k, double pressure_pa) => HeatCapacity;

    public double Viscosity_pa_s(double temperature_k, double pressure_pa) => Viscosity;
}

/// <summary>
/// Liquid water from the IAPWS industrial formulation: density and heat capacity from IAPWS-IF97 region 1 (the Gibbs
/// free energy γ(π, τ), Table 2 of the release, 34 terms), viscosity from the IAPWS 2008 formulation (μ = μ̄0 · μ̄1, the
/// critical enhancement μ̄2 = 1 outside the critical region). Valid for 273.15 K ≤ T ≤ 623.15 K and p above saturation —
/// every district heating and cooling network.
/// </summary>
/// <remarks>
/// Sources: IAPWS R7-97(2012), "Revised Release on the IAPWS Industrial Formulation 1997 for the Thermodynamic Properties
/// of Water and Steam", equations 7 and Table 3; IAPWS R12-08, "Release on the IAPWS Formulation 2008 for the Viscosity of
/// Ordinary Water Substance", equations 10–12 and Tables 1–2. The verification values of both releases are tests.
/// </remarks>
public sealed class Water : IFluid
{
    public static readonly Water Instance = new();

    private const double SpecificGasConstant = 461.526; // J/(kg·K), IF97
    private const double ReducingPressure_pa = 16.53e6;
    private const double ReducingTemperature_k = 1386.0;

    private static readonly int[] I = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 5, 8, 8, 21, 23, 29, 30, 31, 32];

    private static readonly int[] J = [-2, -1, 0, 1, 2, 3, 4, 5, -9, -7, -1, 0, 1, 3, -3, 0, 1, 3, 17, -4, 0, 6, -5, -2, 10, -8, -11, -6, -29, -31, -38, -39, -40, -41];

    private static readonly double[] N =
    [
        0.14632971213167, -0.84548187169114, -0.37563603672040e1, 0.33855169168385e1, -0.95791963387872, 0.15772038513228,
        -0.16616417199501e-1, 0.81214629983568e-3, 0.28319080123804e-3, -0.60706301565874e-3, -0.18990068218419e-1,
        -0.32529748770505e-1, -0.21841717175414e-1, -0.52838357969930e-4, -0.47184321073267e-3, -0.30001780793026e-3,
        0.47661393906987e-4, -0.44141845330846e-5, -0.72694996297594e-15, -0.31679644845054e-4, -0.28270797985312e-5,
        -0.85205128120103e-9, -0.22425281908000e-5, -0.65171222895601e-6, -0.14341729937924e-12, -0.40516996860117e-6,
        -0.12734301741641e-8, -0.17424871230634e-9, -0.68762131295531e-18, 0.14478307828521e-19, 0.26335781662795e-22,
        -0.11947622640071e-22, 0.18228094581404e-23, -0.93537087292458e-25,
    ];

    // IAPWS 2008 viscosity: H_i of μ̄0 and H_ij of μ̄1 (i = 0..5 over (1/T̄ − 1), j = 0..6 over (ρ̄ − 1)).
    private static readonly double[] H0 = [1.67752, 2.20462, 0.6366564, -0.241605];

    private static readonly double[,] H1 =
    {
        { 5.20094e-1, 2.22531e-1, -2.81378e-1, 1.61913e-1, -3.25372e-2, 0, 0 },
        { 8.50895e-2, 9.99115e-1, -9.06851e-1, 2.57399e-1, 0, 0, 0 },
        { -1.08374, 1.88797, -7.72479e-1, 0, 0, 0, 0 },
        { -2.89555e-1, 1.26613, -4.89837e-1, 0, 6.98452e-2, 0, -4.35673e-3 },
        { 0, 0, -2.57040e-1, 0, 0, 8.72102e-3, 0 },
        { 0, 1.20573e-1, 0, 0, 0, 0, -5.93264e-4 },
    };

    public string Name => "water-iapws";

    /// <summary>Specific volume v = π·γ_π·R·T/p (m³/kg), IF97 region 1.</summary>
    public static double SpecificVolume_m3_per_kg(double temperature_k, double pressure_pa)
    {
        var pi = pressure_pa / ReducingPressure_pa;
        var tau = ReducingTemperature_k / temperature_k;
        double gammaPi = 0;
        for (var k = 0; k < N.Length; k++)
        {
            gammaPi -= N[k] * I[k] * Math.Pow(7.1 - pi, I[k] - 1) * Math.Pow(tau - 1.222, J[k]);
        }
        return pi * gammaPi * SpecificGasConstant * temperature_k / pressure_pa;
    }

    /// <summary>Specific enthalpy h = τ·γ_τ·R·T (J/kg), IF97 region 1.</summary>
    public static double Enthalpy_j_per_kg(double temperature_k, double pressure_pa)
    {
        var pi = pressure_pa / ReducingPressure_pa;
        var tau = ReducingTemperature_k / temperature_k;
        double gammaTau = 0;
        for (var k = 0; k < N.Length; k++)
        {
            gammaTau += N[k] * Math.Pow(7.1 - pi, I[k]) * J[k] * Math.Pow(tau - 1.222, J[k] - 1);
        }
        return tau * gammaTau * SpecificGasConstant * temperature_k;
    }

    /// <summary>Isobaric heat capacity c_p = −τ²·γ_ττ·R (J/(kg·K)), IF97 region 1.</summary>
    public double HeatCapacity_j_per_kg_k(double temperature_k, double pressure_pa)
    {
        var pi = pressure_pa / ReducingPressure_pa;
        var tau = ReducingTemperature_k / temperature_k;
        double gammaTauTau = 0;
        for (var k = 0; k < N.Length; k++)
        {
            gammaTauTau += N[k] * Math.Pow(7.1 - pi, I[k]) * J[k] * (J[k] - 1) * Math.Pow(tau - 1.222, J[k] - 2);
        }
        return -tau * tau * gammaTauTau * SpecificGasConstant;
    }

    public double Density_kg_per_m3(double temperature_k, double pressure_pa) => 1.0 / SpecificVolume_m3_per_kg(temperature_k, pressure_pa);

    public double Viscosity_pa_s(double temperature_k, double pressure_pa) =>
        Viscosity_pa_s(temperature_k, pressure_pa, Density_kg_per_m3(temperature_k, pressure_pa));

    /// <summary>IAPWS 2008 viscosity from temperature and density: μ = μ̄0(T̄)·μ̄1(T̄, ρ̄)·1 µPa·s.</summary>
    public static double ViscosityFromDensity_pa_s(double temperature_k, double density_kg_per_m3)
    {
        var t = temperature_k / 647.096;
        var rho = density_kg_per_m3 / 322.0;
        double sum0 = 0;
        for (var i = 0; i < H0.Length; i++)
        {
            sum0 += H0[i] / Math.Pow(t, i);
        }
        var mu0 = 100.0 * Math.Sqrt(t) / sum0;
        double sum1 = 0;
        var ti = 1.0;
        for (var i = 0; i < 6; i++)
        {
            var rj = 1.0;
            for (var j = 0; j < 7; j++)
            {
                sum1 += H1[i, j] * ti * rj;
                rj *= rho - 1.0;
            }
            ti *= 1.0 / t - 1.0;
        }
        var mu1 = Math.Exp(rho * sum1);
        return mu0 * mu1 * 1e-6;
    }

    private static double Viscosity_pa_s(double temperature_k, double pressure_pa, double density) =>
        ViscosityFromDensity_pa_s(temperature_k, density);
}

/// <summary>
/// Water properties tabulated once on a 0.25 K grid at one pressure and interpolated linearly: the hot path of the
/// year simulation evaluates millions of properties, and over 0.25 K the IF97 curves are straight to 1e-7.
/// </summary>
public sealed class TabulatedFluid : IFluid
{
    private const double Step_k = 0.25;
    private readonly double _min_k;
    private readonly double[] _density;
    private readonly double[] _heatCapacity;
    private readonly double[] _viscosity;

    public TabulatedFluid(IFluid fluid, double minTemperature_k = 273.16, double maxTemperature_k = 473.15, double pressure_pa = 6e5)
    {
        Name = fluid.Name;
        _min_k = minTemperature_k;
        var count = (int)Math.Ceiling((maxTemperature_k - minTemperature_k) / Step_k) + 1;
        _density = new double[count];
        _heatCapacity = new double[count];
        _viscosity = new double[count];
        for (var i = 0; i < count; i++)
        {
            var t = minTemperature_k + i * Step_k;
            _density[i] = fluid.Density_kg_per_m3(t, pressure_pa);
            _heatCapacity[i] = fluid.HeatCapacity_j_per_kg_k(t, pressure_pa);
            _viscosity[i] = fluid.Viscosity_pa_s(t, pressure_pa);
        }
    }

    public static readonly TabulatedFluid Water = new(Fluids.Water.Instance);

    public string Name { get; }

    public double Density_kg_per_m3(double temperature_k, double pressure_pa) => Interpolate(_density, temperature_k);

    public double HeatCapacity_j_per_kg_k(double temperature_k, double pressure_pa) => Interpolate(_heatCapacity, temperature_k);

    public double Viscosity_pa_s(double temperature_k, double pressure_pa) => Interpolate(_viscosity, temperature_k);

    private double Interpolate(double[] table, double temperature_k)
    {
        var x = (temperature_k - _min_k) / Step_k;
        if (!(x > 0))
        {
            return table[0];
        }
        var i = (int)x;
        if (i >= table.Length - 1)
        {
            return table[^1];
        }
        var f = x - i;
        return table[i] + f * (table[i + 1] - table[i]);
    }
}
