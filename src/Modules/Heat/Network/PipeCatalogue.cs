namespace Socle.Modules.Heat.Network;

/// <summary>One size of pre-insulated bonded steel pipe (EN 253): steel pipe and the casing of each insulation series.</summary>
public sealed record PipeSize(int Dn, double SteelOuter_m, double Wall_m, double Casing1_m, double Casing2_m, double Casing3_m)
{
    public double Inner_m => SteelOuter_m - 2 * Wall_m;

    public double Casing(int series) => series switch { 1 => Casing1_m, 3 => Casing3_m, _ => Casing2_m };
}

/// <summary>
/// Pre-insulated pipes and their heat loss when buried in pairs (supply and return in one trench).
/// <para>
/// Dimensions: steel outer diameters and wall thicknesses of EN 253 / EN 10217 and the casing diameters of insulation
/// series 1, 2 and 3 as manufacturers list them (typical values; a study should take its supplier's data).
/// </para>
/// <para>
/// Heat loss: the first-order multipole solution for two pipes in one trench (Wallentén 1991, used by EN 13941-1):
/// with R = R_ins + R_soil per pipe, R_ins = ln(D_c/D_o)/(2π·λ_ins), R_soil = ln(4H/D_c)/(2π·λ_soil), and the mutual
/// resistance R_m = ln(√(1 + (2H/E)²))/(2π·λ_soil) (E the distance between axes), the supply pipe loses
/// q_s = U1·(T_s − T_g) − U2·(T_r − T_g) per metre, U1 = R/(R² − R_m²), U2 = R_m/(R² − R_m²). The solver's form
/// q = U′·(T − T_a) holds with U′ = U1 and an effective surrounding temperature T_a = T_g + (R_m/R)·(T_other − T_g):
/// each pipe is warmed by its twin.
/// </para>
/// </summary>
public static class PipeCatalogue
{
    /// <summary>Thermal conductivity of aged polyurethane foam (EN 253 requires at most 0.029 W/(m·K) at 50 °C).</summary>
    public const double InsulationConductivity_w_per_m_k = 0.027;

    /// <summary>Clearance between the two casings in the trench.</summary>
    public const double CasingClearance_m = 0.1;

    public static readonly IReadOnlyList<PipeSize> Sizes =
    [
        new(20, 0.0269, 0.0026, 0.090, 0.110, 0.125),
        new(25, 0.0337, 0.0026, 0.090, 0.110, 0.125),
        new(32, 0.0424, 0.0026, 0.110, 0.125, 0.140),
        new(40, 0.0483, 0.0026, 0.110, 0.125, 0.140),
        new(50, 0.0603, 0.0029, 0.125, 0.140, 0.160),
        new(65, 0.0761, 0.0029, 0.140, 0.160, 0.180),
        new(80, 0.0889, 0.0032, 0.160, 0.180, 0.200),
        new(100, 0.1143, 0.0036, 0.200, 0.225, 0.250),
        new(125, 0.1397, 0.0036, 0.225, 0.250, 0.280),
        new(150, 0.1683, 0.0040, 0.250, 0.280, 0.315),
        new(200, 0.2191, 0.0045, 0.315, 0.355, 0.400),
        new(250, 0.2730, 0.0050, 0.400, 0.450, 0.500),
        new(300, 0.3239, 0.0056, 0.450, 0.500, 0.560),
        new(350, 0.3556, 0.0056, 0.500, 0.560, 0.630),
        new(400, 0.4064, 0.0063, 0.560, 0.630, 0.710),
        new(450, 0.4570, 0.0063, 0.630, 0.710, 0.800),
        new(500, 0.5080, 0.0063, 0.710, 0.800, 0.900),
        new(600, 0.6100, 0.0071, 0.800, 0.900, 1.000),
        new(700, 0.7110, 0.0080, 0.900, 1.000, 1.100),
        new(800, 0.8130, 0.0088, 1.000, 1.100, 1.200),
        new(900, 0.9140, 0.0100, 1.100, 1.200, 1.300),
        new(1000, 1.0160, 0.0110, 1.200, 1.300, 1.400),
    ];

    public static PipeSize? Find(int dn) => Sizes.FirstOrDefault(s => s.Dn == dn);

    /// <summary>The smallest catalogue size whose inner diameter is at least <paramref name="inner_m"/>.</summary>
    public static PipeSize Fit(double inner_m) => Sizes.FirstOrDefault(s => s.Inner_m >= inner_m) ?? Sizes[^1];

    /// <summary>Thermal resistances of one pipe of a buried pair: own (R = R_ins + R_soil) and mutual (R_m), in m·K/W.</summary>
    public static (double Own, double Mutual) Resistances(double steelOuter_m, double casing_m, double depth_m, double soil_w_per_m_k,
        double insulation_w_per_m_k = InsulationConductivity_w_per_m_k)
    {
        var rIns = Math.Log(casing_m / steelOuter_m) / (2 * Math.PI * insulation_w_per_m_k);
        var h = Math.Max(depth_m, casing_m); // the axis cannot be shallower than the casing's radius
        var rSoil = Math.Log(4 * h / casing_m) / (2 * Math.PI * soil_w_per_m_k);
        var e = casing_m + CasingClearance_m;
        var rM = Math.Log(Math.Sqrt(1 + Math.Pow(2 * h / e, 2))) / (2 * Math.PI * soil_w_per_m_k);
        return (rIns + rSoil, rM);
    }

    /// <summary>U1 (own loss coefficient, W/(m·K)) and the twin coupling R_m/R for a catalogue pipe.</summary>
    public static (double U1_w_per_m_k, double Coupling) PairLoss(PipeSize size, int series, double depth_m, double soil_w_per_m_k)
    {
        var (r, rm) = Resistances(size.SteelOuter_m, size.Casing(series), depth_m, soil_w_per_m_k);
        return (r / (r * r - rm * rm), rm / r);
    }
}
