using Socle.Modules.Heat.Fluids;
using Socle.Platform;

namespace Socle.Modules.Heat.Hydraulics;

/// <summary>How the temperature falls along a pipe section.</summary>
public enum PipeTemperatureLaw
{
    /// <summary>
    /// The exact steady-state solution of ṁ·c_p·dT/dx = −U′·(T − T_a):
    /// T_out = T_a + (T_in − T_a)·exp(−U′·L/(ṁ·c_p)).
    /// </summary>
    Exponential,
    /// <summary>
    /// Each section a well-mixed volume at its outlet temperature (upwind finite volumes, as Modelica's discretised pipes):
    /// T_out = T_a + (T_in − T_a)/(1 + U′·L/(ṁ·c_p)). Converges to the exponential law as sections shrink.
    /// </summary>
    FiniteVolume,
}

/// <summary>A node whose pressure is held (the plant's expansion vessel and pump, an external grid): p and the temperature it supplies.</summary>
public sealed record FixedPressure(int Node, double Pressure_pa, double Temperature_k);

/// <summary>One steady state to solve: a network, its boundary conditions and its physics.</summary>
public sealed class SteadyStateProblem
{
    public required FlowNetwork Network { get; init; }

    public required IReadOnlyList<FixedPressure> FixedPressures { get; init; }

    /// <summary>Mass flow leaving the network at each node (a consumer); negative for a source feeding the network.</summary>
    public required double[] Withdrawal_kg_per_s { get; init; }

    /// <summary>Temperature of what a source injects, per node (NaN where nothing is injected, or to inject at the node's mixed temperature).</summary>
    public double[]? InjectionTemperature_k { get; init; }

    public IFluid Fluid { get; init; } = TabulatedFluid.Water;

    public FrictionModel Friction { get; init; } = FrictionModel.Colebrook;

    public PipeTemperatureLaw TemperatureLaw { get; init; } = PipeTemperatureLaw.Exponential;

    /// <summary>Standard gravity (m/s²).</summary>
    public double Gravity_m_per_s2 { get; init; } = 9.80665;

    /// <summary>Newton stops when no pipe's mass flow changes by more than this.</summary>
    public double MassFlowTolerance_kg_per_s { get; init; } = 1e-10;

    public int MaxIterations { get; init; } = 100;
}

/// <summary>The steady state of a network: pressures and temperatures at nodes, flows and temperatures in pipes.</summary>
public sealed class SteadyStateSolution
{
    public required double[] Pressure_pa { get; init; }

    public required double[] Temperature_k { get; init; }

    /// <summary>Positive from the pipe's 'from' node to its 'to' node.</summary>
    public required double[] MassFlow_kg_per_s { get; init; }

    /// <summary>Mean over the sections of the signed velocity.</summary>
    public required double[] VelocityMean_m_per_s { get; init; }

    /// <summary>Per pipe, the temperature of each section (from 'from' to 'to'), taken at the section's downstream end.</summary>
    public required double[][] SectionTemperature_k { get; init; }

    /// <summary>Per pipe, the signed velocity in each section (from 'from' to 'to').</summary>
    public required double[][] SectionVelocity_m_per_s { get; init; }

    /// <summary>Heat lost by each pipe to its surroundings, ṁ·c_p·(T_in − T_out) summed over sections (W).</summary>
    public required double[] HeatLoss_w { get; init; }

    public required double[] Reynolds { get; init; }

    public int HydraulicIterations { get; set; }

    public int PropertyIterations { get; set; }

    /// <summary>Mean of the section temperatures of a pipe (the quantity pandapipes compares with OpenModelica).</summary>
    public double MeanTemperature_k(int pipe) => SectionTemperature_k[pipe].Average();
}

/// <summary>
/// Steady-state hydraulics and heat transfer of a meshed network, on arrays.
/// <para>
/// Hydraulics: Newton on the nodal mass balances with the pressures of the free nodes as unknowns (the global gradient
/// algorithm of Todini and Pilati). Each pipe obeys p_from − p_to = ρ·g·(z_to − z_from) + R(ṁ), with
/// R(ṁ) = Σ_sections (λ·L_s/D + ζ_s)·ṁ|ṁ|/(2ρA²) (Darcy-Weisbach), λ from <see cref="Friction"/>. Linearising
/// ṁ ≈ ṁ_k + (Δp − R(ṁ_k))/R′(ṁ_k) turns the balances into a weighted Laplacian system in the pressures, solved by a
/// sparse Cholesky factorisation whose ordering and pattern are kept for every Newton step and every call.
/// </para>
/// <para>
/// Heat: with the flow directions known, nodes are visited in flow order; a node's temperature is the mix
/// Σ ṁ·c_p·T / Σ ṁ·c_p of what flows in, and each pipe section cools by <see cref="PipeTemperatureLaw"/>.
/// With temperature-dependent properties (IAPWS water) the two are iterated until temperatures settle.
/// </para>
/// </summary>
public sealed class SteadyStateSolver
{
    private readonly FlowNetwork _net;
    private readonly int[] _unknown;       // node → index of its pressure unknown, or −1 for a fixed node
    private readonly int[] _fixedNodes;
    private readonly SparseCholesky? _cholesky;
    private readonly int[] _slotFrom;      // per pipe: diagonal slot of the from node (−1 if fixed)
    private readonly int[] _slotTo;
    private readonly int[] _slotOff;       // per pipe: off-diagonal slot (−1 unless both ends are free)
    private readonly double[] _matrix;

    public SteadyStateSolver(FlowNetwork network, IReadOnlyCollection<int> fixedNodes)
    {
        _net = network;
        _fixedNodes = [.. fixedNodes.Distinct()];
        _unknown = new int[network.NodeCount];
        var count = 0;
        for (var i = 0; i < network.NodeCount; i++)
        {
            _unknown[i] = _fixedNodes.Contains(i) ? -1 : count++;
        }
        var edges = new List<(int, int)>();
        for (var b = 0; b < network.PipeCount; b++)
        {
            var f = _unknown[network.From[b]];
            var t = _unknown[network.To[b]];
            if (f >= 0 && t >= 0)
            {
                edges.Add((f, t));
            }
        }
        _slotFrom = new int[network.PipeCount];
        _slotTo = new int[network.PipeCount];
        _slotOff = new int[network.PipeCount];
        if (count > 0)
        {
            _cholesky = new SparseCholesky(count, edges);
            _matrix = new double[_cholesky.FactorNonZeros];
        }
        else
        {
            _matrix = [];
        }
        for (var b = 0; b < network.PipeCount; b++)
        {
            var f = _unknown[network.From[b]];
            var t = _unknown[network.To[b]];
            _slotFrom[b] = f >= 0 ? _cholesky!.DiagonalSlot(f) : -1;
            _slotTo[b] = t >= 0 ? _cholesky!.DiagonalSlot(t) : -1;
            _slotOff[b] = f >= 0 && t >= 0 ? _cholesky!.OffDiagonalSlot(f, t) : -1;
        }
    }

    /// <summary>Non-zeros in the Cholesky factor (for diagnostics and benchmarks).</summary>
    public int FactorNonZeros => _cholesky?.FactorNonZeros ?? 0;

    /// <summary>
    /// Solves one steady state. <paramref name="start"/> (a previous solution of the same network) warm-starts Newton.
    /// Expected failures: a part of the network without a fixed pressure, a flow that does not converge, a loop of flow.
    /// </summary>
    public Result<SteadyStateSolution> Solve(SteadyStateProblem problem, SteadyStateSolution? start = null)
    {
        var net = _net;
        var n = net.NodeCount;
        var pipes = net.PipeCount;
        if (problem.Withdrawal_kg_per_s.Length != n)
        {
            throw new ArgumentException("one withdrawal per node", nameof(problem));
        }
        var unreachable = net.Unreachable(_fixedNodes);
        if (unreachable.Count > 0)
        {
            return Error.Validation("network", $"disconnected network: node '{net.NodeIds[unreachable[0]]}'" +
                (unreachable.Count > 1 ? $" and {unreachable.Count - 1} other node(s)" : "") + " cannot be reached from a node with a fixed pressure (the plant)");
        }

        var fixedP = new double[n];
        var fixedT = new double[n];
        Array.Fill(fixedT, double.NaN);
        foreach (var f in problem.FixedPressures)
        {
            fixedP[f.Node] = f.Pressure_pa;
            fixedT[f.Node] = f.Temperature_k;
        }
        var supplyTemperature = problem.FixedPressures.Average(f => f.Temperature_k);
        var solution = NewSolution(n, pipes, supplyTemperature, problem.FixedPressures.Average(f => f.Pressure_pa));
        if (start is not null)
        {
            Array.Copy(start.MassFlow_kg_per_s, solution.MassFlow_kg_per_s, pipes);
            Array.Copy(start.Pressure_pa, solution.Pressure_pa, n);
            for (var b = 0; b < pipes; b++)
            {
                Array.Copy(start.SectionTemperature_k[b], solution.SectionTemperature_k[b], net.Sections[b]);
            }
        }
        else
        {
            InitialFlows(problem, solution.MassFlow_kg_per_s);
        }
        foreach (var f in problem.FixedPressures)
        {
            solution.Pressure_pa[f.Node] = f.Pressure_pa;
        }

        // Per-section properties, refreshed from temperatures between hydraulic solves.
        var density = new double[pipes][];
        var viscosity = new double[pipes][];
        for (var b = 0; b < pipes; b++)
        {
            density[b] = new double[net.Sections[b]];
            viscosity[b] = new double[net.Sections[b]];
        }
        var constant = problem.Fluid is ConstantFluid;
        var previous = new double[pipes][];
        for (var outer = 0; outer < 60; outer++)
        {
            UpdateProperties(problem, solution, density, viscosity);
            var hydraulic = SolveHydraulics(problem, solution, density, viscosity, fixedP);
            if (hydraulic is not null)
            {
                return hydraulic;
            }
            var thermal = SolveTemperatures(problem, solution, fixedT);
            if (thermal is not null)
            {
                return thermal;
            }
            solution.PropertyIterations = outer + 1;
            if (constant)
            {
                break;
            }
            var change = 0.0;
            for (var b = 0; b < pipes; b++)
            {
                var s = solution.SectionTemperature_k[b];
                if (previous[b] is null)
                {
                    previous[b] = (double[])s.Clone();
                    change = double.PositiveInfinity;
                    continue;
                }
                for (var k = 0; k < s.Length; k++)
                {
                    change = Math.Max(change, Math.Abs(s[k] - previous[b][k]));
                    previous[b][k] = s[k];
                }
            }
            if (change < 1e-9)
            {
                break;
            }
        }
        Finish(problem, solution, density);
        return solution;
    }

    /// <summary>
    /// Temperatures only, for mass flows given per pipe (signed, from 'from' to 'to'): the heat half of <see cref="Solve"/>,
    /// for flows measured or taken from another model.
    /// </summary>
    public Result<SteadyStateSolution> SolveHeat(SteadyStateProblem problem, double[] massFlow_kg_per_s)
    {
        var fixedT = new double[_net.NodeCount];
        Array.Fill(fixedT, double.NaN);
        foreach (var f in problem.FixedPressures)
        {
            fixedT[f.Node] = f.Temperature_k;
        }
        var solution = NewSolution(_net.NodeCount, _net.PipeCount, problem.FixedPressures.Average(f => f.Temperature_k), problem.FixedPressures.Average(f => f.Pressure_pa));
        Array.Copy(massFlow_kg_per_s, solution.MassFlow_kg_per_s, _net.PipeCount);
        for (var iteration = 0; iteration < (problem.Fluid is ConstantFluid ? 1 : 20); iteration++)
        {
            var error = SolveTemperatures(problem, solution, fixedT);
            if (error is not null)
            {
                return error;
            }
        }
        var density = new double[_net.PipeCount][];
        var viscosity = new double[_net.PipeCount][];
        for (var b = 0; b < _net.PipeCount; b++)
        {
            density[b] = new double[_net.Sections[b]];
            viscosity[b] = new double[_net.Sections[b]];
        }
        UpdateProperties(problem, solution, density, viscosity);
        Finish(problem, solution, density);
        return solution;
    }

    private SteadyStateSolution NewSolution(int n, int pipes, double temperature, double pressure)
    {
        var sectionT = new double[pipes][];
        var sectionV = new double[pipes][];
        for (var b = 0; b < pipes; b++)
        {
            sectionT[b] = new double[_net.Sections[b]];
            Array.Fill(sectionT[b], temperature);
            sectionV[b] = new double[_net.Sections[b]];
        }
        var p = new double[n];
        Array.Fill(p, pressure);
        var t = new double[n];
        Array.Fill(t, temperature);
        return new SteadyStateSolution
        {
            Pressure_pa = p,
            Temperature_k = t,
            MassFlow_kg_per_s = new double[pipes],
            VelocityMean_m_per_s = new double[pipes],
            SectionTemperature_k = sectionT,
            SectionVelocity_m_per_s = sectionV,
            HeatLoss_w = new double[pipes],
            Reynolds = new double[pipes],
        };
    }

    /// <summary>A first guess: the withdrawals carried along a spanning tree grown from the fixed nodes (loops start at zero flow).</summary>
    private void InitialFlows(SteadyStateProblem problem, double[] flow)
    {
        var net = _net;
        var adjacency = net.Adjacency();
        var parentPipe = new int[net.NodeCount];
        Array.Fill(parentPipe, -2);
        var order = new List<int>(net.NodeCount);
        var queue = new Queue<int>();
        foreach (var f in _fixedNodes)
        {
            parentPipe[f] = -1;
            queue.Enqueue(f);
        }
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            order.Add(v);
            foreach (var (w, b) in adjacency[v])
            {
                if (parentPipe[w] == -2)
                {
                    parentPipe[w] = b;
                    queue.Enqueue(w);
                }
            }
        }
        var carried = (double[])problem.Withdrawal_kg_per_s.Clone();
        for (var k = order.Count - 1; k >= 0; k--)
        {
            var v = order[k];
            var b = parentPipe[v];
            if (b < 0)
            {
                continue;
            }
            // flow towards v along the tree pipe b
            var parent = net.From[b] == v ? net.To[b] : net.From[b];
            flow[b] = net.To[b] == v ? carried[v] : -carried[v];
            carried[parent] += carried[v];
        }
    }

    private void UpdateProperties(SteadyStateProblem problem, SteadyStateSolution solution, double[][] density, double[][] viscosity)
    {
        var net = _net;
        for (var b = 0; b < net.PipeCount; b++)
        {
            var p = 0.5 * (solution.Pressure_pa[net.From[b]] + solution.Pressure_pa[net.To[b]]);
            p = Math.Max(p, 1e5);
            var sections = net.Sections[b];
            for (var s = 0; s < sections; s++)
            {
                var t = PropertyTemperature(problem, solution, b, s);
                density[b][s] = problem.Fluid.Density_kg_per_m3(t, p);
                viscosity[b][s] = problem.Fluid.Viscosity_pa_s(t, p);
            }
        }
    }

    /// <summary>The temperature at which a section's properties are taken: its mean under the exponential law, its own under finite volumes.</summary>
    private double PropertyTemperature(SteadyStateProblem problem, SteadyStateSolution solution, int b, int s)
    {
        var sectionT = solution.SectionTemperature_k[b];
        if (problem.TemperatureLaw == PipeTemperatureLaw.FiniteVolume)
        {
            return sectionT[s];
        }
        // Exponential law: the section's mean lies between its inlet and outlet; the log-mean of the excess over ambient.
        var m = solution.MassFlow_kg_per_s[b];
        var sections = sectionT.Length;
        var outlet = sectionT[s];
        double inlet;
        if (m >= 0)
        {
            inlet = s == 0 ? solution.Temperature_k[_net.From[b]] : sectionT[s - 1];
        }
        else
        {
            inlet = s == sections - 1 ? solution.Temperature_k[_net.To[b]] : sectionT[s + 1];
        }
        var ta = _net.Ambient_k[b];
        var a = inlet - ta;
        var c = outlet - ta;
        if (Math.Abs(a - c) < 1e-9 || a * c <= 0)
        {
            return 0.5 * (inlet + outlet);
        }
        return ta + (a - c) / Math.Log(a / c);
    }

    /// <summary>R(ṁ) and R′(ṁ) of one pipe, summed over its sections, and its hydrostatic term ρ·g·Δz.</summary>
    private (double R, double DR, double Static) Resistance(SteadyStateProblem problem, int b, double m, double[] density, double[] viscosity)
    {
        var net = _net;
        var d = net.Diameter_m[b];
        var area = net.Area_m2[b];
        var sections = net.Sections[b];
        var ls = net.Length_m[b] / sections;
        var zeta = net.LossCoefficient[b] / sections;
        var dz = (net.Height_m[net.To[b]] - net.Height_m[net.From[b]]) / sections;
        var rough = net.Roughness_m[b] / d;
        var abs = Math.Abs(m);
        double r = 0, dr = 0, g = 0;
        for (var s = 0; s < sections; s++)
        {
            var rho = density[s];
            var mu = viscosity[s];
            g += rho * problem.Gravity_m_per_s2 * dz;
            var re = abs * d / (area * mu);
            var inv = 1.0 / (2 * rho * area * area);
            if (problem.Friction == FrictionModel.Nikuradse)
            {
                // λ = 64/Re + λ_rough: a linear (laminar) part and a quadratic (rough) part
                var lin = 32.0 * mu * ls / (rho * area * d * d);
                var quad = (Friction.FullyRough(rough) * ls / d + zeta) * inv;
                r += lin * m + quad * m * abs;
                dr += lin + 2 * quad * abs;
            }
            else if (re < Friction.LaminarLimit)
            {
                var k = 32.0 * mu * ls / (rho * area * d * d);
                r += k * m + zeta * m * abs * inv;
                dr += k + 2 * zeta * abs * inv;
            }
            else
            {
                var (lambda, dl) = Friction.Factor(re, rough, problem.Friction);
                r += (lambda * ls / d + zeta) * m * abs * inv;
                dr += abs * inv * ((ls / d) * (dl * re + 2 * lambda) + 2 * zeta);
            }
        }
        return (r, Math.Max(dr, 1e-12), g);
    }

    private Error? SolveHydraulics(SteadyStateProblem problem, SteadyStateSolution solution, double[][] density, double[][] viscosity, double[] fixedP)
    {
        var net = _net;
        var pipes = net.PipeCount;
        var m = solution.MassFlow_kg_per_s;
        var p = solution.Pressure_pa;
        var c = new double[pipes];
        var q = new double[pipes];
        var unknowns = _cholesky?.Size ?? 0;
        var rhs = new double[unknowns];
        var withdrawal = problem.Withdrawal_kg_per_s;
        var scale = Math.Max(1e-6, withdrawal.Sum(Math.Abs));
        for (var iteration = 1; iteration <= problem.MaxIterations; iteration++)
        {
            Array.Clear(_matrix);
            Array.Clear(rhs);
            for (var b = 0; b < pipes; b++)
            {
                var (r, dr, g) = Resistance(problem, b, m[b], density[b], viscosity[b]);
                c[b] = 1.0 / dr;
                q[b] = m[b] - c[b] * (g + r);
                var f = _unknown[net.From[b]];
                var t = _unknown[net.To[b]];
                if (f >= 0)
                {
                    _matrix[_slotFrom[b]] += c[b];
                    rhs[f] -= q[b];
                    if (t < 0)
                    {
                        rhs[f] += c[b] * fixedP[net.To[b]];
                    }
                }
                if (t >= 0)
                {
                    _matrix[_slotTo[b]] += c[b];
                    rhs[t] += q[b];
                    if (f < 0)
                    {
                        rhs[t] += c[b] * fixedP[net.From[b]];
                    }
                }
                if (_slotOff[b] >= 0)
                {
                    _matrix[_slotOff[b]] -= c[b];
                }
            }
            for (var i = 0; i < net.NodeCount; i++)
            {
                var u = _unknown[i];
                if (u >= 0)
                {
                    rhs[u] -= withdrawal[i];
                }
            }
            if (_cholesky is not null)
            {
                var singular = _cholesky.Factorize(_matrix);
                if (singular >= 0)
                {
                    var node = Array.IndexOf(_unknown, singular);
                    return Error.Invalid("singular", $"the hydraulic system is singular at node '{net.NodeIds[node]}'");
                }
                _cholesky.Solve(rhs);
            }
            for (var i = 0; i < net.NodeCount; i++)
            {
                var u = _unknown[i];
                p[i] = u >= 0 ? rhs[u] : fixedP[i];
            }
            var change = 0.0;
            var worst = -1;
            for (var b = 0; b < pipes; b++)
            {
                var updated = q[b] + c[b] * (p[net.From[b]] - p[net.To[b]]);
                var delta = Math.Abs(updated - m[b]);
                if (delta > change)
                {
                    change = delta;
                    worst = b;
                }
                m[b] = updated;
            }
            solution.HydraulicIterations = iteration;
            if (change <= problem.MassFlowTolerance_kg_per_s * Math.Max(1.0, scale))
            {
                return null;
            }
            if (iteration == problem.MaxIterations)
            {
                var node = net.NodeIds[net.To[worst]];
                return Error.Invalid("not_converged",
                    $"hydraulics did not converge after {iteration} iterations: the flow in pipe '{net.PipeIds[worst]}' (at node '{node}') still changes by {change:G3} kg/s");
            }
        }
        return null;
    }

    private Error? SolveTemperatures(SteadyStateProblem problem, SteadyStateSolution solution, double[] fixedT)
    {
        var net = _net;
        var n = net.NodeCount;
        var m = solution.MassFlow_kg_per_s;
        var threshold = 1e-12;
        var inDegree = new int[n];
        var outgoing = new List<int>[n];
        var sumMcp = new double[n];
        var sumMcpT = new double[n];
        var netOut = new double[n];
        for (var i = 0; i < n; i++)
        {
            outgoing[i] = [];
        }
        for (var b = 0; b < net.PipeCount; b++)
        {
            if (Math.Abs(m[b]) <= threshold)
            {
                Array.Fill(solution.SectionTemperature_k[b], net.Ambient_k[b]);
                continue;
            }
            var (up, down) = m[b] > 0 ? (net.From[b], net.To[b]) : (net.To[b], net.From[b]);
            outgoing[up].Add(b);
            inDegree[down]++;
            netOut[up] += Math.Abs(m[b]);
            netOut[down] -= Math.Abs(m[b]);
        }
        var queue = new Queue<int>();
        for (var i = 0; i < n; i++)
        {
            if (inDegree[i] == 0)
            {
                queue.Enqueue(i);
            }
        }
        var injection = problem.InjectionTemperature_k;
        var withdrawal = problem.Withdrawal_kg_per_s;
        var done = 0;
        var fluid = problem.Fluid;
        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            done++;
            double t;
            if (!double.IsNaN(fixedT[v]) && netOut[v] > threshold)
            {
                t = fixedT[v]; // the plant supplies at its set temperature
            }
            else
            {
                var mcp = sumMcp[v];
                var mcpT = sumMcpT[v];
                if (withdrawal[v] < 0 && injection is not null && !double.IsNaN(injection[v]))
                {
                    var cp = fluid.HeatCapacity_j_per_kg_k(injection[v], 5e5);
                    mcp += -withdrawal[v] * cp;
                    mcpT += -withdrawal[v] * cp * injection[v];
                }
                if (mcp > 0)
                {
                    t = mcpT / mcp;
                }
                else if (!double.IsNaN(fixedT[v]))
                {
                    t = fixedT[v];
                }
                else
                {
                    t = StagnantTemperature(v);
                }
            }
            solution.Temperature_k[v] = t;
            foreach (var b in outgoing[v])
            {
                var outlet = MarchPipe(problem, solution, b, t);
                var down = m[b] > 0 ? net.To[b] : net.From[b];
                var cpOut = fluid.HeatCapacity_j_per_kg_k(outlet, 5e5);
                sumMcp[down] += Math.Abs(m[b]) * cpOut;
                sumMcpT[down] += Math.Abs(m[b]) * cpOut * outlet;
                if (--inDegree[down] == 0)
                {
                    queue.Enqueue(down);
                }
            }
        }
        if (done < n)
        {
            var stuck = Enumerable.Range(0, n).First(i => inDegree[i] > 0);
            return Error.Invalid("flow_loop", $"the flow circulates in a loop through node '{net.NodeIds[stuck]}' (no pump drives it): check heights and pumps");
        }
        return null;
    }

    private double StagnantTemperature(int node)
    {
        double sum = 0;
        var count = 0;
        for (var b = 0; b < _net.PipeCount; b++)
        {
            if (_net.From[b] == node || _net.To[b] == node)
            {
                sum += _net.Ambient_k[b];
                count++;
            }
        }
        return count > 0 ? sum / count : 293.15;
    }

    /// <summary>Marches the temperature through pipe b from its upstream end; fills its section temperatures; returns the outlet temperature.</summary>
    private double MarchPipe(SteadyStateProblem problem, SteadyStateSolution solution, int b, double inlet)
    {
        var net = _net;
        var m = Math.Abs(solution.MassFlow_kg_per_s[b]);
        var sections = net.Sections[b];
        var ls = net.Length_m[b] / sections;
        var ta = net.Ambient_k[b];
        var ua = net.HeatLoss_w_per_m_k[b] * ls;
        var st = solution.SectionTemperature_k[b];
        var forward = solution.MassFlow_kg_per_s[b] > 0;
        var t = inlet;
        for (var k = 0; k < sections; k++)
        {
            var s = forward ? k : sections - 1 - k;
            // c_p at the section's temperature: the previous iteration's value, which converges with the outer loop
            var cp = problem.Fluid.HeatCapacity_j_per_kg_k(0.5 * (t + st[s]), 5e5);
            var ntu = ua / (m * cp);
            t = problem.TemperatureLaw == PipeTemperatureLaw.Exponential
                ? ta + (t - ta) * Math.Exp(-ntu)
                : ta + (t - ta) / (1.0 + ntu);
            st[s] = t;
        }
        return t;
    }

    private void Finish(SteadyStateProblem problem, SteadyStateSolution solution, double[][] density)
    {
        var net = _net;
        for (var b = 0; b < net.PipeCount; b++)
        {
            var m = solution.MassFlow_kg_per_s[b];
            var area = net.Area_m2[b];
            var sections = net.Sections[b];
            double vSum = 0;
            for (var s = 0; s < sections; s++)
            {
                var v = m / (density[b][s] * area);
                solution.SectionVelocity_m_per_s[b][s] = v;
                vSum += v;
            }
            solution.VelocityMean_m_per_s[b] = vSum / sections;
            var p = 0.5 * (solution.Pressure_pa[net.From[b]] + solution.Pressure_pa[net.To[b]]);
            var tMean = solution.SectionTemperature_k[b].Average();
            solution.Reynolds[b] = Math.Abs(m) * net.Diameter_m[b] / (area * problem.Fluid.Viscosity_pa_s(tMean, Math.Max(p, 1e5)));
            if (Math.Abs(m) > 1e-12)
            {
                var up = m > 0 ? net.From[b] : net.To[b];
                var inlet = solution.Temperature_k[up];
                var outlet = m > 0 ? solution.SectionTemperature_k[b][^1] : solution.SectionTemperature_k[b][0];
                var cp = problem.Fluid.HeatCapacity_j_per_kg_k(0.5 * (inlet + outlet), Math.Max(p, 1e5));
                solution.HeatLoss_w[b] = Math.Abs(m) * cp * (inlet - outlet);
            }
        }
    }
}
