using Socle.Modules.Heat.Fluids;

namespace Socle.Heat.Tests.Hydraulics;

/// <summary>The verification values published with IAPWS-IF97 (Table 5) and IAPWS 2008 viscosity (Table 4).</summary>
public class WaterTests
{
    [Theory]
    [InlineData(300, 3e6, 0.100215168e-2, 0.115331273e3, 0.417301218e1)]
    [InlineData(300, 80e6, 0.971180894e-3, 0.184142828e3, 0.401008987e1)]
    [InlineData(500, 3e6, 0.120241800e-2, 0.975542239e3, 0.465580682e1)]
    public void Region_1_matches_the_IF97_verification_table(double t, double p, double v, double h_kj, double cp_kj)
    {
        Assert.Equal(v, Water.SpecificVolume_m3_per_kg(t, p), v * 1e-8);
        Assert.Equal(h_kj, Water.Enthalpy_j_per_kg(t, p) / 1000, h_kj * 1e-8);
        Assert.Equal(cp_kj, Water.Instance.HeatCapacity_j_per_kg_k(t, p) / 1000, cp_kj * 1e-8);
    }

    [Theory]
    [InlineData(298.15, 998, 889.735100)]
    [InlineData(298.15, 1200, 1437.649467)]
    [InlineData(373.15, 1000, 307.883622)]
    public void Viscosity_matches_the_IAPWS_2008_verification_table(double t, double rho, double mu_upas)
    {
        Assert.Equal(mu_upas, Water.ViscosityFromDensity_pa_s(t, rho) * 1e6, 1e-5);
    }

    [Fact]
    public void The_table_interpolates_within_a_millionth()
    {
        foreach (var t in new[] { 278.3, 313.17, 353.15, 383.9 })
        {
            Assert.Equal(Water.Instance.Density_kg_per_m3(t, 6e5), TabulatedFluid.Water.Density_kg_per_m3(t, 6e5), 1e-3);
            Assert.Equal(Water.Instance.HeatCapacity_j_per_kg_k(t, 6e5), TabulatedFluid.Water.HeatCapacity_j_per_kg_k(t, 6e5), 4e-3);
        }
    }
}
