using Socle.Modules.Heat.Fluids;
using Socle.Modules.Heat.Hydraulics;

namespace Socle.Heat.Tests.Hydraulics;

public class SolverTests
{
    [Fact]
    public void Colebrook_reproduces_the_worked_example_of_the_one_pipe_network()
    {
        // d = 75 mm, ṁ = 3 kg/s, ρ = 998.2, μ = 1.0016e-3, k = 0.025 mm: v = 0.680 m/s, Re = 50 848,
        // λ = 0.02196 (Colebrook) and 0.02197 (Swamee-Jain) — the research note's hand computation.
        var area = Math.PI * 0.075 * 0.075 / 4;
        var v = 3 / (998.2 * area);
        var re = 998.2 * v * 0.075 / 1.0016e-3;
        Assert.Equal(0.680, v, 0.001);
        Assert.Equal(50848, re, 1.0);
        Assert.Equal(0.02196, Friction.Factor(re, 0.025 / 75, FrictionModel.Colebrook).Lambda, 0.00001);
        Assert.Equal(0.02197, Friction.Factor(re, 0.025 / 75, FrictionModel.SwameeJain).Lambda, 0.00001);
    }

    [Fact]
    public void The_friction_factor_is_continuous_across_the_transition_and_its_derivative_is_right()
    {
        foreach (var model in new[] { FrictionModel.Colebrook, FrictionModel.SwameeJain })
        {
            Assert.Equal(64.0 / 2000, Friction.Factor(1999.9999, 1e-4, model).Lambda, 1e-6);
            Assert.Equal(Friction.Factor(4000.0001, 1e-4, model).Lambda, Friction.Factor(3999.9999, 1e-4, model).Lambda, 1e-8);
            foreach (var re in new[] { 500.0, 2500, 3500, 8000, 1e5, 1e6 })
            {
                var h = re * 1e-6;
                var numeric = (Friction.Factor(re + h, 1e-4, model).Lambda - Friction.Factor(re - h, 1e-4, model).Lambda) / (2 * h);
                Assert.Equal(numeric, Friction.Factor(re, 1e-4, model).DLambdaDRe, Math.Abs(numeric) * 1e-4 + 1e-14);
            }
        }
    }

    private static (FlowNetwork Network, SteadyStateProblem Problem) Ring(int n, Func<int, double>? withdrawal = null, int maxIterations = 100)
    {
        var b = new FlowNetworkBuilder();
        for (var i = 0; i < n; i++)
        {
            b.AddNode($"N{i}");
        }
        for (var i = 0; i < n; i++)
        {
            b.AddPipe($"P{i}", $"N{i}", $"N{(i + 1) % n}", 100 + 10 * i, 0.1, 1e-4, 0.3, 283.15);
        }
        b.AddPipe("chord", "N0", $"N{n / 2}", 300, 0.08, 1e-4, 0.3, 283.15);
        var network = b.Build().Value;
        var w = new double[n];
        for (var i = 1; i < n; i++)
        {
            w[i] = withdrawal?.Invoke(i) ?? 0.5;
        }
        return (network, new SteadyStateProblem
        {
            Network = network,
            FixedPressures = [new FixedPressure(0, 6e5, 363.15)],
            Withdrawal_kg_per_s = w,
            MaxIterations = maxIterations,
        });
    }

    [Fact]
    public void A_meshed_network_balances_mass_at_every_node_and_energy_overall()
    {
        var (network, problem) = Ring(12);
        var s = new SteadyStateSolver(network, [0]).Solve(problem).Value;
        for (var node = 1; node < network.NodeCount; node++)
        {
            var inflow = 0.0;
            for (var p = 0; p < network.PipeCount; p++)
            {
                if (network.To[p] == node)
                {
                    inflow += s.MassFlow_kg_per_s[p];
                }
                if (network.From[p] == node)
                {
                    inflow -= s.MassFlow_kg_per_s[p];
                }
            }
            Assert.Equal(problem.Withdrawal_kg_per_s[node], inflow, 1e-9);
        }
        // Energy: the plant's enthalpy flow = what leaves at the consumers + the pipes' losses.
        var h = (double t) => Water.Enthalpy_j_per_kg(t, 6e5);
        var supplied = problem.Withdrawal_kg_per_s.Sum() * (h(363.15) - h(283.15));
        var delivered = Enumerable.Range(1, network.NodeCount - 1).Sum(i => problem.Withdrawal_kg_per_s[i] * (h(s.Temperature_k[i]) - h(283.15)));
        Assert.Equal(supplied, delivered + s.HeatLoss_w.Sum(), supplied * 2e-5);
        // pressures fall along the flow
        for (var p = 0; p < network.PipeCount; p++)
        {
            var drop = s.Pressure_pa[network.From[p]] - s.Pressure_pa[network.To[p]];
            Assert.True(drop * s.MassFlow_kg_per_s[p] >= 0, $"pipe {network.PipeIds[p]}");
        }
    }

    [Fact]
    public void A_node_cut_off_from_the_plant_is_named()
    {
        var b = new FlowNetworkBuilder();
        b.AddNode("plant");
        b.AddNode("A");
        b.AddNode("island-1");
        b.AddNode("island-2");
        b.AddPipe("p1", "plant", "A", 100, 0.1, 1e-4, 0.3, 283);
        b.AddPipe("p2", "island-1", "island-2", 100, 0.1, 1e-4, 0.3, 283);
        var network = b.Build().Value;
        var result = new SteadyStateSolver(network, [0]).Solve(new SteadyStateProblem
        {
            Network = network,
            FixedPressures = [new FixedPressure(0, 5e5, 350)],
            Withdrawal_kg_per_s = [0, 1, 0, 1],
        });
        Assert.False(result.IsSuccess);
        Assert.Contains("disconnected", result.Error!.Message);
        Assert.Contains("island-1", result.Error.Message);
    }

    [Fact]
    public void Bad_pipe_values_are_refused_naming_the_pipe_and_the_field()
    {
        var b = new FlowNetworkBuilder();
        b.AddNode("a");
        b.AddNode("b");
        b.AddPipe("main-7", "a", "b", -12, 0.1, 1e-4, 0.3, 283);
        b.AddPipe("main-8", "a", "nowhere", 10, 0.1, 1e-4, 0.3, 283);
        var result = b.Build();
        Assert.False(result.IsSuccess);
        Assert.Contains("pipes[main-7].length_m", result.Error!.Fields!.Keys);
        Assert.Contains("pipes[main-8].to", result.Error.Fields.Keys);
        Assert.Contains("nowhere", result.Error.Message);
    }

    [Fact]
    public void Non_convergence_names_the_pipe_and_node_where_the_flow_still_moves()
    {
        var (network, problem) = Ring(8, i => 2.0 * i, maxIterations: 2);
        var result = new SteadyStateSolver(network, [0]).Solve(problem);
        Assert.False(result.IsSuccess);
        Assert.Equal("not_converged", result.Error!.Code);
        Assert.Matches("pipe '[^']+' \\(at node 'N[0-9]+'\\)", result.Error.Message);
    }

    [Fact]
    public void A_warm_start_from_a_nearby_state_converges_in_fewer_iterations()
    {
        var (network, problem) = Ring(40);
        var solver = new SteadyStateSolver(network, [0]);
        var cold = solver.Solve(problem).Value;
        var nearby = new SteadyStateProblem
        {
            Network = network,
            FixedPressures = problem.FixedPressures,
            Withdrawal_kg_per_s = [.. problem.Withdrawal_kg_per_s.Select(w => w * 1.03)],
            Fluid = ConstantFluid.Water20C,
        };
        var coldAgain = solver.Solve(nearby).Value;
        var warm = solver.Solve(nearby, cold).Value;
        Assert.True(warm.HydraulicIterations < coldAgain.HydraulicIterations, $"{warm.HydraulicIterations} vs {coldAgain.HydraulicIterations}");
        Assert.Equal(coldAgain.MassFlow_kg_per_s[5], warm.MassFlow_kg_per_s[5], 1e-8);
    }
}
