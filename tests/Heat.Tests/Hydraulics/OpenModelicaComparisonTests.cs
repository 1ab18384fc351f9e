using Socle.Modules.Heat.Fluids;
using Socle.Modules.Heat.Hydraulics;

namespace Socle.Heat.Tests.Hydraulics;

/// <summary>
/// Socle against OpenModelica on pandapipes' eight heat-transfer networks. OpenModelica discretised each pipe into the
/// listed number of finite volumes, with IAPWS water and sources entering at ambient temperature; Socle is run the same
/// way (IF97 water, <see cref="PipeTemperatureLaw.FiniteVolume"/>, same sections). Each case must pass pandapipes' own
/// tolerances (test_heat_transfer_openmodelica.py) and the tighter bounds Socle holds itself to.
/// </summary>
public class OpenModelicaComparisonTests(ITestOutputHelper output)
{
    // pandapipes' tolerances per case: mean temperature (relative, K), pressure (relative), velocity (absolute, m/s)
    public static TheoryData<string, double, double, double> Cases => new()
    {
        { "delta", 0.007, 0.05, 0.05 },
        { "delta_2sinks", 0.007, 0.02, 0.05 },
        { "heights", 0.0065, 0.02, 0.05 },
        { "one_pipe", 0.004, 0.01, 0.05 },
        { "one_source", 0.04, 0.01, 0.05 },
        { "section_variation", 0.03, 0.022, 0.05 },
        { "t_cross", 0.007, 0.01, 0.05 },
        { "two_pipes", 0.004, 0.01, 0.05 },
    };

    // Socle's own bounds on every case: 7 to 40 times tighter on temperature, 2 to 10 on pressure, 50 on velocity.
    private const double SocleTemperature = 1e-3;
    private const double SoclePressure = 5e-3;
    private const double SocleVelocity_m_per_s = 1e-3;

    [Theory, MemberData(nameof(Cases))]
    public void Agrees_with_OpenModelica_within_pandapipes_tolerances_and_tighter(string name, double temperature, double pressure, double velocity)
    {
        var c = ReferenceNetworks.Compare(name, Water.Instance, PipeTemperatureLaw.FiniteVolume);
        output.WriteLine(c.ToString());
        for (var i = 0; i < c.TemperatureDiff.Length; i++)
        {
            Assert.True(c.TemperatureDiff[i] < temperature, $"pipe {i}: mean temperature differs by {c.TemperatureDiff[i]:E2} (pandapipes allows {temperature})");
            Assert.True(c.TemperatureDiff[i] < SocleTemperature, $"pipe {i}: mean temperature differs by {c.TemperatureDiff[i]:E2}");
            Assert.True(c.VelocityDiff[i] < velocity && c.VelocityDiff[i] < SocleVelocity_m_per_s, $"pipe {i}: velocity differs by {c.VelocityDiff[i]:E2} m/s");
        }
        for (var j = 0; j < c.PressureDiff.Length; j++)
        {
            Assert.True(c.PressureDiff[j] < pressure, $"junction {j}: pressure differs by {c.PressureDiff[j]:E2} (pandapipes allows {pressure})");
            Assert.True(c.PressureDiff[j] < SoclePressure, $"junction {j}: pressure differs by {c.PressureDiff[j]:E2}");
        }
    }

    [Fact]
    public void Section_temperatures_match_OpenModelica_volume_by_volume_on_the_simplest_case()
    {
        var net = ReferenceNetworks.Load("one_pipe");
        var c = ReferenceNetworks.Compare("one_pipe", Water.Instance, PipeTemperatureLaw.FiniteVolume);
        var om = net.Pipes[0].Extra["T_om"].EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (var s = 0; s < om.Length; s++)
        {
            Assert.Equal(om[s], c.Solution.SectionTemperature_k[0][s], 0.005); // 5 mK
        }
    }

    [Fact]
    public void Constant_properties_miss_the_OpenModelica_velocities_that_temperature_dependent_water_reproduces()
    {
        // OpenModelica's water is lighter when hot: at 87 °C the one_pipe velocity is 0.700 m/s, not the 0.680 of 20 °C water.
        var constant = ReferenceNetworks.Compare("one_pipe", ConstantFluid.Water20C, PipeTemperatureLaw.FiniteVolume);
        var iapws = ReferenceNetworks.Compare("one_pipe", Water.Instance, PipeTemperatureLaw.FiniteVolume);
        Assert.True(constant.MaxVelocity > 0.015, $"constant properties: {constant.MaxVelocity}");
        Assert.True(iapws.MaxVelocity < 1e-4, $"IAPWS: {iapws.MaxVelocity}");
    }

    [Fact]
    public void Finite_volumes_converge_to_the_exponential_law_as_sections_shrink()
    {
        double Outlet(PipeTemperatureLaw law, int sections)
        {
            var b = new FlowNetworkBuilder();
            b.AddNode("a");
            b.AddNode("b");
            b.AddPipe("p", "a", "b", 1000, 0.075, 2.5e-5, 50 * Math.PI * 0.075, 293.15, sections);
            var network = b.Build().Value;
            var problem = new SteadyStateProblem
            {
                Network = network,
                FixedPressures = [new FixedPressure(0, 3e5, 343.15)],
                Withdrawal_kg_per_s = [0, 2],
                Fluid = ConstantFluid.Water20C,
                TemperatureLaw = law,
            };
            return new SteadyStateSolver(network, [0]).Solve(problem).Value.Temperature_k[1];
        }
        var exact = Outlet(PipeTemperatureLaw.Exponential, 1);
        Assert.Equal(exact, Outlet(PipeTemperatureLaw.Exponential, 7), 1e-9);
        var coarse = Math.Abs(Outlet(PipeTemperatureLaw.FiniteVolume, 5) - exact);
        var fine = Math.Abs(Outlet(PipeTemperatureLaw.FiniteVolume, 1000) - exact);
        Assert.True(coarse > 0.1, $"5 volumes: {coarse} K off");
        Assert.True(fine < coarse / 100, $"1000 volumes: {fine} K off");
    }
}
