using System.Globalization;
using Socle.Modules.Heat.Fluids;
using Socle.Modules.Heat.Hydraulics;
using Socle.Testing;

namespace Socle.Heat.Tests.Hydraulics;

/// <summary>
/// pandapipes' analytic pipe-temperature tables (data/heat/pandapipes-reference/analytic, BSD-3-Clause): T = T_ext +
/// (T_in − T_ext)·exp(−α·π·d·l/(ṁ·c_p)) with α = 5 W/(m²·K), d = 75 mm, c_p = 4182 J/(kg·K), T_ext = 293 K, and ideal mixing
/// at junctions. pandapipes builds each network and compares its junction temperatures with the column T within 1 %
/// (test_pipeflow_analytic_comparison.py); we build the same networks, solve hydraulics and heat, and hold 0.1 %.
/// </summary>
public class AnalyticTemperatureTests(ITestOutputHelper output)
{
    private const double Tolerance = 0.001;
    private const double Diameter = 0.075;
    private const double Alpha = 5;
    /// <summary>The tables' c_p = 4182 J/(kg·K); density and viscosity of water at temperature, as pandapipes' "water" fluid has them.</summary>
    private sealed class TableFluid : IFluid
    {
        public string Name => "analytic";

        public double Density_kg_per_m3(double temperature_k, double pressure_pa) => Water.Instance.Density_kg_per_m3(temperature_k, pressure_pa);

        public double HeatCapacity_j_per_kg_k(double temperature_k, double pressure_pa) => 4182;

        public double Viscosity_pa_s(double temperature_k, double pressure_pa) => Water.Instance.Viscosity_pa_s(temperature_k, pressure_pa);
    }

    private static readonly TableFluid Fluid = new();

    private static double[] Column(string file)
    {
        var lines = File.ReadAllLines(TestData.Path("heat", "pandapipes-reference", "analytic", file));
        var header = lines[0].Split(';');
        var index = Array.IndexOf(header, "T");
        return [.. lines.Skip(1).Select(l => l.Split(';')[index]).Where(v => v.Length > 0)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture))];
    }

    private sealed class Net
    {
        private readonly FlowNetworkBuilder _builder = new();
        private readonly List<FixedPressure> _fixed = [];
        private readonly Dictionary<string, double> _sinks = [];
        private int _pipes;

        public Net Junctions(int count)
        {
            for (var i = 0; i < count; i++)
            {
                _builder.AddNode($"j{i}");
            }
            return this;
        }

        public Net Pipe(int from, int to, double length_km, int sections = 1)
        {
            _builder.AddPipe($"p{_pipes++}", $"j{from}", $"j{to}", length_km * 1000, Diameter, 0.1e-3, Alpha * Math.PI * Diameter, 293, sections);
            return this;
        }

        public Net ExtGrid(int junction, double t_k)
        {
            _fixed.Add(new FixedPressure(junction, 5e5, t_k));
            return this;
        }

        public Net Sink(int junction, double mdot)
        {
            _sinks[$"j{junction}"] = mdot;
            return this;
        }

        /// <summary>Solves hydraulics and heat, or heat alone when <paramref name="flows"/> (one per pipe, signed) are given.</summary>
        public SteadyStateSolution Solve(params double[] flows)
        {
            var network = _builder.Build().Value;
            var withdrawal = new double[network.NodeCount];
            foreach (var (id, m) in _sinks)
            {
                withdrawal[network.IndexOfNode(id)] = m;
            }
            var problem = new SteadyStateProblem
            {
                Network = network,
                FixedPressures = _fixed,
                Withdrawal_kg_per_s = withdrawal,
                Fluid = Fluid,
                Friction = FrictionModel.Nikuradse,
                TemperatureLaw = PipeTemperatureLaw.Exponential,
            };
            var solver = new SteadyStateSolver(network, [.. _fixed.Select(f => f.Node)]);
            var result = flows.Length > 0 ? solver.SolveHeat(problem, flows) : solver.Solve(problem);
            Assert.True(result.IsSuccess, result.Error?.Message);
            return result.Value;
        }
    }

    private void AssertClose(double[] expected, IReadOnlyList<double> actual)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            var diff = Math.Abs(1 - actual[i] / expected[i]);
            output.WriteLine($"T[{i}] expected {expected[i]:F4} K, got {actual[i]:F4} K, relative difference {diff:E2}");
            Assert.True(diff < Tolerance, $"T[{i}]: expected {expected[i]} K, got {actual[i]} K ({diff:E2})");
        }
    }

    [Fact]
    public void One_pipe_temperatures_along_six_kilometres_follow_the_exponential_law()
    {
        var expected = Column("Temperature_one_pipe_an.csv");
        var s = new Net().Junctions(2).Pipe(0, 1, 6, sections: 6).ExtGrid(0, 330).Sink(1, 1).Solve();
        AssertClose(expected, [s.Temperature_k[0], .. s.SectionTemperature_k[0]]);
        // the table's own precision is 1e-7 K: hold it
        Assert.Equal(320.9163141, s.SectionTemperature_k[0][0], 1e-6);
    }

    [Fact]
    public void Tee_with_one_inflow_and_two_outflows()
    {
        var s = new Net().Junctions(4).ExtGrid(0, 350).Sink(2, 1).Sink(3, 1).Pipe(0, 1, 2.5).Pipe(1, 2, 2.5).Pipe(1, 3, 2.5).Solve();
        AssertClose(Column("Temperature_tee_2ab_1zu_an.csv"), s.Temperature_k);
    }

    [Fact]
    public void Tee_with_two_inflows_and_one_outflow()
    {
        var s = new Net().Junctions(4).Pipe(0, 2, 2.5, 3).Pipe(1, 2, 2.5, 3).Pipe(2, 3, 2.5, 3).ExtGrid(0, 350).ExtGrid(1, 350).Sink(3, 1).Solve();
        AssertClose(Column("Temperature_tee_2zu_1ab_an.csv"), s.Temperature_k);
    }

    [Fact]
    public void Tee_with_two_inflows_when_one_pipe_is_drawn_the_other_way()
    {
        var s = new Net().Junctions(4).ExtGrid(0, 350).ExtGrid(1, 350).Sink(3, 1).Pipe(0, 2, 2.5, 5).Pipe(2, 1, 2.5, 5).Pipe(2, 3, 2.5, 5).Solve();
        Assert.True(s.MassFlow_kg_per_s[1] < 0, "the pipe drawn from j2 to j1 carries water from j1 to j2");
        AssertClose(Column("Temperature_tee_2zu_1ab_an.csv"), s.Temperature_k);
    }

    // The three cases below depend on how the flow splits between two paths or two supplies, which pandapipes computed
    // with its own friction law and water tables; the tables state the flows they used (column mdot). Those flows are
    // imposed here, so that the comparison is about heat transfer and mixing only.

    [Fact]
    public void Two_inflows_at_different_temperatures_mix_then_split()
    {
        var s = new Net().Junctions(5).ExtGrid(0, 350).ExtGrid(1, 300).Sink(3, 1).Sink(4, 1)
            .Pipe(0, 2, 2.5).Pipe(1, 2, 2.5).Pipe(2, 3, 2.5).Pipe(2, 4, 2.5).Solve(1, 1, 1, 1);
        AssertClose(Column("Temperature_2zu_2ab_an.csv"), s.Temperature_k);
    }

    [Fact]
    public void A_mesh_with_one_load_mixes_its_two_paths_at_the_load()
    {
        var s = new Net().Junctions(4).Pipe(0, 1, 2.5, 6).Pipe(1, 2, 2.5, 6).Pipe(1, 3, 2.5, 6).Pipe(3, 2, 2.5, 6).ExtGrid(0, 350).Sink(2, 1)
            .Solve(1, 0.606421, 0.393579, 0.393579);
        AssertClose(Column("Temperature_masche_1load_an.csv"), s.Temperature_k);
    }

    [Fact]
    public void A_mesh_whose_load_sits_where_a_pipe_is_drawn_against_the_flow()
    {
        // pandapipes' junctions j0, j2, j3 are our j0, j1, j2; the table carries 0.39 kg/s in the first pipe
        var s = new Net().Junctions(3).Pipe(0, 1, 2.5, 5).Pipe(0, 2, 2.5, 5).Pipe(2, 1, 2.5, 5).ExtGrid(0, 350).Sink(2, 1)
            .Solve(0.39, 0.606735, -0.393265);
        AssertClose(Column("Temperature_masche_1load_direction_an.csv"), s.Temperature_k);
    }

    [Fact]
    public void The_mesh_solved_for_its_own_flows_splits_about_as_pandapipes_did_and_stays_within_the_table()
    {
        var s = new Net().Junctions(4).Pipe(0, 1, 2.5, 6).Pipe(1, 2, 2.5, 6).Pipe(1, 3, 2.5, 6).Pipe(3, 2, 2.5, 6).ExtGrid(0, 350).Sink(2, 1).Solve();
        output.WriteLine($"split: {s.MassFlow_kg_per_s[1]:F6} direct, {s.MassFlow_kg_per_s[2]:F6} round (pandapipes: 0.606421, 0.393579)");
        Assert.Equal(1.0, s.MassFlow_kg_per_s[1] + s.MassFlow_kg_per_s[2], 9);
        // the direct path carries more; with the same friction law both tools agree on the split within 1 %
        Assert.InRange(s.MassFlow_kg_per_s[1], 0.606421 * 0.99, 0.606421 * 1.01);
        AssertClose(Column("Temperature_masche_1load_an.csv"), s.Temperature_k);
    }
}
