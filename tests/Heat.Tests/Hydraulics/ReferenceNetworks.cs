using System.Text.Json;
using Socle.Modules.Heat.Fluids;
using Socle.Modules.Heat.Hydraulics;
using Socle.Modules.Heat.Import;
using Socle.Testing;

namespace Socle.Heat.Tests.Hydraulics;

/// <summary>
/// The eight pandapipes heat-transfer networks with OpenModelica results (data/heat/pandapipes-reference, BSD-3-Clause),
/// solved by Socle and compared the way pandapipes compares itself (test_heat_transfer_openmodelica.py): per junction the
/// relative pressure difference |1 − p/p_om|, per pipe the absolute difference of mean velocity |v_om − v| and the relative
/// difference of the mean section temperature |1 − T̄/T̄_om| (in K).
/// </summary>
public static class ReferenceNetworks
{
    public static readonly string[] Cases = ["delta", "delta_2sinks", "heights", "one_pipe", "one_source", "section_variation", "t_cross", "two_pipes"];

    public sealed record Comparison(string Case, double[] PressureDiff, double[] VelocityDiff, double[] TemperatureDiff, SteadyStateSolution Solution)
    {
        public double MaxPressure => PressureDiff.Max();

        public double MaxVelocity => VelocityDiff.Max();

        public double MaxTemperature => TemperatureDiff.Max();

        public override string ToString() =>
            $"{Case,-18} p {MaxPressure:E2}  v {MaxVelocity:E2} m/s  T {MaxTemperature:E2}  ({Solution.PropertyIterations} property iterations)";
    }

    public static PandapipesNet Load(string name)
    {
        var json = File.ReadAllText(TestData.Path("heat", "pandapipes-reference", "heat_transfer_cases", name + ".json"));
        var parsed = PandapipesNet.Parse(json);
        Assert.True(parsed.IsSuccess, parsed.Error?.Message);
        return parsed.Value;
    }

    public static Comparison Compare(string name, IFluid? fluid = null, PipeTemperatureLaw law = PipeTemperatureLaw.Exponential,
        double? sourceTemperature_k = null)
    {
        var net = Load(name);
        var built = net.ToProblem(fluid ?? Water.Instance, FrictionModel.Colebrook, law, sourceTemperature_k);
        Assert.True(built.IsSuccess, built.Error?.Message);
        var (problem, nodeOf, pipeOf) = built.Value;
        var solver = new SteadyStateSolver(problem.Network, [.. problem.FixedPressures.Select(f => f.Node)]);
        var solved = solver.Solve(problem);
        Assert.True(solved.IsSuccess, solved.Error?.Message);
        var s = solved.Value;

        var p = net.Junctions.Select(j =>
        {
            var pom = j.Extra["p_om"].GetDouble();
            return Math.Abs(1 - s.Pressure_pa[nodeOf[j.Index]] / 1e5 / pom);
        }).ToArray();
        var v = net.Pipes.Select(pipe => Math.Abs(pipe.Extra["v_om"].GetDouble() - s.VelocityMean_m_per_s[pipeOf[pipe.Index]])).ToArray();
        var t = net.Pipes.Select(pipe =>
        {
            var om = pipe.Extra["T_om"].EnumerateArray().Select(e => e.GetDouble()).Average();
            return Math.Abs(1 - s.MeanTemperature_k(pipeOf[pipe.Index]) / om);
        }).ToArray();
        return new Comparison(name, p, v, t, s);
    }
}
