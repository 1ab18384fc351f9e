using Socle.Modules.Heat.Hydraulics;
using Socle.Modules.Heat.Scenarios;
using Socle.Platform;

namespace Socle.Modules.Heat.Simulation;

/// <summary>The state of the network in one hour, written by <see cref="HourlyNetwork.Solve"/> into arrays it owns.</summary>
public sealed class HourState
{
    public HourState(int nodes, int pipes)
    {
        MassFlow_kg_per_s = new double[pipes];
        Pressure_pa = new double[nodes];
        Supply_k = new double[nodes];
        Return_k = new double[nodes];
        SupplyLoss_w = new double[pipes];
        ReturnLoss_w = new double[pipes];
        Withdrawal_kg_per_s = new double[nodes];
        ReturnInjection_k = new double[nodes];
        Colebrook = new double[pipes];
    }

    public double[] MassFlow_kg_per_s { get; }

    public double[] Pressure_pa { get; }

    /// <summary>Supply temperature at each node (cold supply for a cooling network).</summary>
    public double[] Supply_k { get; }

    /// <summary>Return temperature at each node (the mix flowing back towards the plant).</summary>
    public double[] Return_k { get; }

    public double[] SupplyLoss_w { get; }

    public double[] ReturnLoss_w { get; }

    public double[] Withdrawal_kg_per_s { get; }

    /// <summary>Temperature at which each node's substations send water back (NaN where none).</summary>
    public double[] ReturnInjection_k { get; }

    /// <summary>Per pipe, the last Colebrook solution x = 1/√λ: the next hour starts from it.</summary>
    internal double[] Colebrook { get; }

    public int Iterations { get; set; }

    public bool Warm { get; set; }
}

/// <summary>
/// Hour-by-hour hydraulics and heat of a twin-pipe network (supply and return in one trench), built once per scenario
/// and reused for every hour: the year simulation's hot path.
/// <para>
/// The network is split into its meshed core (the 2-core of the graph, plus the plant) and the trees hanging from it.
/// Flows in trees follow from mass balance alone (accumulated from the leaves); Newton with the sparse Cholesky
/// factorisation runs on the core only. Pressures then march down the trees. The return network is the supply network's
/// twin: same flows reversed, same friction (heights cancel in a closed loop, so they do not drive the flows).
/// Temperatures march in flow order on the supply side and back towards the plant on the return side, each pipe with
/// the exponential law and the twin coupling of <see cref="Network.PipeCatalogue"/>.
/// </para>
/// </summary>
public sealed class HourlyNetwork
{
    private readonly FlowNetwork _net;
    private readonly int _plant;
    private readonly double[] _coupling;
    private readonly int[] _pruneOrder;   // tree nodes, leaves first
    private readonly int[] _parentPipe;   // tree node → pipe to its parent (−1 for core nodes)
    private readonly int[] _parentNode;
    private readonly bool[] _core;
    private readonly int[] _corePipes;
    private readonly int[] _unknown;      // core node → unknown index (−1: plant or tree node)
    private readonly SparseCholesky? _cholesky;
    private readonly int[] _slotFrom, _slotTo, _slotOff;
    private readonly double[] _matrix;
    private readonly double[] _rhs;
    private readonly double[] _c, _q, _acc;
    private readonly int[] _inDegree;
    private readonly int[] _queue;
    private readonly double[] _sumMcp, _sumMcpT;
    private readonly List<int>[] _coreOutgoing;
    private readonly double[] _lengthOverD;      // L/D
    private readonly double[] _diameterOverArea; // D/A, so Re = |ṁ|·(D/A)/μ
    private readonly double[] _inverseTwoA2;     // 1/(2A²)
    private readonly double[] _laminar;          // 32·L/(A·D²), so R_lam = μ/ρ·this·ṁ
    private readonly double[] _colebrookC;       // k/(3.71·D)
    private readonly double[] _relativeRoughness;
    private readonly double[] _ua;               // U′·L

    public HourlyNetwork(CompiledScenario scenario)
    {
        _net = scenario.Network;
        _plant = scenario.PlantNode;
        _coupling = [.. scenario.Pipes.Select(p => p.Coupling)];
        var n = _net.NodeCount;
        var adjacency = _net.Adjacency();
        var degree = adjacency.Select(a => a.Count).ToArray();
        _core = Enumerable.Repeat(true, n).ToArray();
        _parentPipe = Enumerable.Repeat(-1, n).ToArray();
        _parentNode = Enumerable.Repeat(-1, n).ToArray();
        var order = new List<int>();
        var stack = new Stack<int>(Enumerable.Range(0, n).Where(i => degree[i] <= 1 && i != _plant));
        var removedPipe = new bool[_net.PipeCount];
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            if (!_core[v] || degree[v] > 1 || v == _plant)
            {
                continue;
            }
            _core[v] = false;
            order.Add(v);
            foreach (var (w, b) in adjacency[v])
            {
                if (removedPipe[b])
                {
                    continue;
                }
                removedPipe[b] = true;
                _parentPipe[v] = b;
                _parentNode[v] = w;
                degree[w]--;
                if (degree[w] == 1 && w != _plant)
                {
                    stack.Push(w);
                }
            }
        }
        _pruneOrder = [.. order];
        _corePipes = [.. Enumerable.Range(0, _net.PipeCount).Where(b => !removedPipe[b])];
        _unknown = Enumerable.Repeat(-1, n).ToArray();
        var count = 0;
        for (var i = 0; i < n; i++)
        {
            if (_core[i] && i != _plant)
            {
                _unknown[i] = count++;
            }
        }
        _slotFrom = new int[_net.PipeCount];
        _slotTo = new int[_net.PipeCount];
        _slotOff = new int[_net.PipeCount];
        if (count > 0)
        {
            var edges = _corePipes.Where(b => _unknown[_net.From[b]] >= 0 && _unknown[_net.To[b]] >= 0)
                .Select(b => (_unknown[_net.From[b]], _unknown[_net.To[b]]));
            _cholesky = new SparseCholesky(count, edges);
            _matrix = new double[_cholesky.FactorNonZeros];
            foreach (var b in _corePipes)
            {
                var f = _unknown[_net.From[b]];
                var t = _unknown[_net.To[b]];
                _slotFrom[b] = f >= 0 ? _cholesky.DiagonalSlot(f) : -1;
                _slotTo[b] = t >= 0 ? _cholesky.DiagonalSlot(t) : -1;
                _slotOff[b] = f >= 0 && t >= 0 ? _cholesky.OffDiagonalSlot(f, t) : -1;
            }
        }
        else
        {
            _matrix = [];
        }
        _rhs = new double[count];
        _c = new double[_net.PipeCount];
        _q = new double[_net.PipeCount];
        _acc = new double[n];
        _inDegree = new int[n];
        _queue = new int[n];
        _sumMcp = new double[n];
        _sumMcpT = new double[n];
        _coreOutgoing = new List<int>[n];
        for (var i = 0; i < n; i++)
        {
            _coreOutgoing[i] = [];
        }
        var pipes = _net.PipeCount;
        _lengthOverD = new double[pipes];
        _diameterOverArea = new double[pipes];
        _inverseTwoA2 = new double[pipes];
        _laminar = new double[pipes];
        _colebrookC = new double[pipes];
        _relativeRoughness = new double[pipes];
        _ua = new double[pipes];
        for (var b = 0; b < pipes; b++)
        {
            var d = _net.Diameter_m[b];
            var a = _net.Area_m2[b];
            _lengthOverD[b] = _net.Length_m[b] / d;
            _diameterOverArea[b] = d / a;
            _inverseTwoA2[b] = 1.0 / (2 * a * a);
            _laminar[b] = 32.0 * _net.Length_m[b] / (a * d * d);
            _relativeRoughness[b] = _net.Roughness_m[b] / d;
            _colebrookC[b] = _relativeRoughness[b] / 3.71;
            _ua[b] = _net.HeatLoss_w_per_m_k[b] * _net.Length_m[b];
        }
    }

    /// <summary>Nodes in the meshed core (the rest are trees whose flows need no Newton).</summary>
    public int CoreNodes => _core.Count(c => c);

    public int CorePipes => _corePipes.Length;

    public int FactorNonZeros => _cholesky?.FactorNonZeros ?? 0;

    /// <summary>
    /// Solves one hour. <paramref name="state"/> holds the withdrawals and return temperatures on entry and the results
    /// on exit; its previous content warm-starts Newton. Properties are the hour's (taken at the supply temperature).
    /// Returns null or an error naming the node where hydraulics failed.
    /// </summary>
    public Error? Solve(HourState state, double supply_k, double ground_k, double returnNominal_k, double density, double viscosity, double heatCapacity,
        FrictionModel friction, double plantPressure_pa, double tolerance_kg_per_s = 1e-7)
    {
        var error = SolveFlowsAndSupply(state, supply_k, ground_k, returnNominal_k, density, viscosity, heatCapacity, friction, plantPressure_pa, tolerance_kg_per_s);
        if (error is null)
        {
            FinishHour(state, ground_k, density, viscosity, heatCapacity, friction);
        }
        return error;
    }

    /// <summary>
    /// The part of an hour that depends on the substations' flows: flows everywhere, core pressures and supply temperatures.
    /// The year simulation repeats it when the supply temperatures reaching substations moved enough to change their flows,
    /// then calls <see cref="FinishHour"/> once.
    /// </summary>
    public Error? SolveFlowsAndSupply(HourState state, double supply_k, double ground_k, double returnNominal_k, double density, double viscosity, double heatCapacity,
        FrictionModel friction, double plantPressure_pa, double tolerance_kg_per_s, int maxIterations = 50)
    {
        var net = _net;
        var m = state.MassFlow_kg_per_s;
        var w = state.Withdrawal_kg_per_s;

        // 1. trees: flows by accumulation from the leaves
        Array.Copy(w, _acc, w.Length);
        foreach (var v in _pruneOrder)
        {
            var b = _parentPipe[v];
            m[b] = net.To[b] == v ? _acc[v] : -_acc[v];
            _acc[_parentNode[v]] += _acc[v];
        }

        // 2. the meshed core: Newton (global gradient) on the core pressures
        var p = state.Pressure_pa;
        p[_plant] = plantPressure_pa;
        if (_cholesky is not null)
        {
            if (!state.Warm)
            {
                foreach (var b in _corePipes)
                {
                    m[b] = 0;
                }
            }
            var converged = false;
            var previousChange = double.PositiveInfinity;
            for (var iteration = 1; iteration <= maxIterations; iteration++)
            {
                Array.Clear(_matrix);
                Array.Clear(_rhs);
                foreach (var b in _corePipes)
                {
                    var (r, dr) = Resistance(b, m[b], density, viscosity, friction, state.Colebrook);
                    _c[b] = 1.0 / dr;
                    _q[b] = m[b] - _c[b] * r;
                    var f = _unknown[net.From[b]];
                    var t = _unknown[net.To[b]];
                    if (f >= 0)
                    {
                        _matrix[_slotFrom[b]] += _c[b];
                        _rhs[f] -= _q[b];
                        if (t < 0)
                        {
                            _rhs[f] += _c[b] * plantPressure_pa;
                        }
                    }
                    if (t >= 0)
                    {
                        _matrix[_slotTo[b]] += _c[b];
                        _rhs[t] += _q[b];
                        if (f < 0)
                        {
                            _rhs[t] += _c[b] * plantPressure_pa;
                        }
                    }
                    if (_slotOff[b] >= 0)
                    {
                        _matrix[_slotOff[b]] -= _c[b];
                    }
                }
                for (var i = 0; i < net.NodeCount; i++)
                {
                    var u = _unknown[i];
                    if (u >= 0)
                    {
                        _rhs[u] -= _acc[i];
                    }
                }
                var singular = _cholesky.Factorize(_matrix);
                if (singular >= 0)
                {
                    return Error.Invalid("singular", $"the hydraulic system is singular at node '{net.NodeIds[Array.IndexOf(_unknown, singular)]}'");
                }
                _cholesky.Solve(_rhs);
                for (var i = 0; i < net.NodeCount; i++)
                {
                    var u = _unknown[i];
                    if (u >= 0)
                    {
                        p[i] = _rhs[u];
                    }
                }
                var change = 0.0;
                var worst = -1;
                foreach (var b in _corePipes)
                {
                    var updated = _q[b] + _c[b] * (p[net.From[b]] - p[net.To[b]]);
                    var delta = Math.Abs(updated - m[b]);
                    if (delta > change)
                    {
                        change = delta;
                        worst = b;
                    }
                    m[b] = updated;
                }
                state.Iterations = iteration;
                if (change <= tolerance_kg_per_s || (iteration > 1 && change <= 30 * tolerance_kg_per_s && change < 0.01 * previousChange))
                {
                    converged = true;
                    break;
                }
                previousChange = change;
                if (iteration == maxIterations)
                {
                    return Error.Invalid("not_converged", $"hydraulics did not converge after {iteration} iterations at node '{net.NodeIds[net.To[worst]]}' (pipe '{net.PipeIds[worst]}' still changes by {change:G3} kg/s)");
                }
            }
            if (!converged)
            {
                return Error.Invalid("not_converged", "hydraulics did not converge");
            }
        }
        else
        {
            state.Iterations = 0;
        }
        state.Warm = true;

        // 3. supply temperatures in flow order
        if (!SupplyTemperatures(state, supply_k, ground_k, returnNominal_k - ground_k, heatCapacity))
        {
            return Error.Invalid("flow_loop", "the flow circulates in a loop of the core (no pump drives it)");
        }
        return null;
    }

    /// <summary>Pressures down the trees and return temperatures back to the plant, once the hour's flows are final.</summary>
    public void FinishHour(HourState state, double ground_k, double density, double viscosity, double heatCapacity, FrictionModel friction)
    {
        var net = _net;
        var m = state.MassFlow_kg_per_s;
        var p = state.Pressure_pa;
        for (var k = _pruneOrder.Length - 1; k >= 0; k--)
        {
            var v = _pruneOrder[k];
            var b = _parentPipe[v];
            var (r, _) = Resistance(b, m[b], density, viscosity, friction, state.Colebrook);
            // p_from − p_to = R(ṁ)
            p[v] = net.To[b] == v ? p[_parentNode[v]] - r : p[_parentNode[v]] + r;
        }
        ReturnTemperatures(state, ground_k, heatCapacity);
    }

    private const double TwoOverLn10 = 0.86858896380650365530; // 2/ln 10

    private (double R, double DR) Resistance(int b, double m, double density, double viscosity, FrictionModel friction, double[] colebrook)
    {
        var abs = Math.Abs(m);
        var re = abs * _diameterOverArea[b] / viscosity;
        var inv = _inverseTwoA2[b] / density;
        var lod = _lengthOverD[b];
        if (re < Friction.LaminarLimit)
        {
            var k = viscosity / density * _laminar[b];
            return (k * m, k);
        }
        if (re < Friction.TurbulentLimit || friction != FrictionModel.Colebrook)
        {
            var (lambda, dl) = Friction.Factor(re, _relativeRoughness[b], friction);
            return (lambda * lod * m * abs * inv, Math.Max(abs * inv * lod * (dl * re + 2 * lambda), 1e-12));
        }
        // Colebrook in x = 1/√λ from the last solution of this pipe: one Newton step when warm (Re moves little
        // between calls and the error squares at each one), iterated to convergence from a cold start.
        var c = _colebrookC[b];
        const double bb = 2.51;
        var warm = colebrook[b] > 0;
        var x = warm ? colebrook[b] : 7.0;
        var bOverRe = bb / re;
        double arg, fx;
        var steps = warm ? 1 : 30;
        for (var i = 0; ; i++)
        {
            arg = c + bOverRe * x;
            fx = 1.0 + TwoOverLn10 * bOverRe / arg;
            var dx = (x + TwoOverLn10 * Math.Log(arg)) / fx;
            x -= dx;
            if (i + 1 >= steps || Math.Abs(dx) < 1e-11 * x)
            {
                break;
            }
        }
        colebrook[b] = x;
        // dλ/dRe·Re from the implicit derivative of F(x, Re) = x + 2·log10(c + 2.51·x/Re)
        var fReTimesRe = -TwoOverLn10 * bOverRe * x / arg;
        var lam = 1.0 / (x * x);
        var dlamRe = 2.0 / (x * x * x) * fReTimesRe / fx;
        return (lam * lod * m * abs * inv, Math.Max(abs * inv * lod * (dlamRe + 2 * lam), 1e-12));
    }

    private bool SupplyTemperatures(HourState state, double supply_k, double ground_k, double ambientShift, double cp)
    {
        var net = _net;
        var m = state.MassFlow_kg_per_s;
        var t = state.Supply_k;
        const double threshold = 1e-9;
        // core: Kahn's algorithm over core pipes by flow direction
        var head = 0;
        var tail = 0;
        foreach (var b in _corePipes)
        {
            if (Math.Abs(m[b]) <= threshold)
            {
                state.SupplyLoss_w[b] = 0;
                continue;
            }
            var (up, down) = m[b] > 0 ? (net.From[b], net.To[b]) : (net.To[b], net.From[b]);
            _coreOutgoing[up].Add(b);
            _inDegree[down]++;
        }
        for (var i = 0; i < net.NodeCount; i++)
        {
            if (_core[i] && _inDegree[i] == 0)
            {
                _queue[tail++] = i;
            }
        }
        var done = 0;
        while (head < tail)
        {
            var v = _queue[head++];
            done++;
            t[v] = v == _plant ? supply_k : _sumMcp[v] > 0 ? _sumMcpT[v] / _sumMcp[v] : ground_k;
            foreach (var b in _coreOutgoing[v])
            {
                var down = m[b] > 0 ? net.To[b] : net.From[b];
                var outlet = Outlet(b, t[v], Math.Abs(m[b]), ground_k + _coupling[b] * ambientShift, cp);
                state.SupplyLoss_w[b] = Math.Abs(m[b]) * cp * (t[v] - outlet);
                _sumMcp[down] += Math.Abs(m[b]) * cp;
                _sumMcpT[down] += Math.Abs(m[b]) * cp * outlet;
                if (--_inDegree[down] == 0)
                {
                    _queue[tail++] = down;
                }
            }
            _coreOutgoing[v].Clear();
        }
        var coreCount = 0;
        for (var i = 0; i < net.NodeCount; i++)
        {
            if (_core[i])
            {
                coreCount++;
            }
            _sumMcp[i] = 0;
            _sumMcpT[i] = 0;
        }
        if (done < coreCount)
        {
            Array.Clear(_inDegree);
            foreach (var list in _coreOutgoing)
            {
                list.Clear();
            }
            return false;
        }
        // trees: parent to child, roots first
        for (var k = _pruneOrder.Length - 1; k >= 0; k--)
        {
            var v = _pruneOrder[k];
            var b = _parentPipe[v];
            var parent = _parentNode[v];
            var flow = Math.Abs(m[b]);
            if (flow <= threshold)
            {
                t[v] = ground_k + _coupling[b] * ambientShift;
                state.SupplyLoss_w[b] = 0;
                continue;
            }
            var outlet = Outlet(b, t[parent], flow, ground_k + _coupling[b] * ambientShift, cp);
            state.SupplyLoss_w[b] = flow * cp * (t[parent] - outlet);
            t[v] = outlet;
        }
        return true;
    }

    private void ReturnTemperatures(HourState state, double ground_k, double cp)
    {
        var net = _net;
        var m = state.MassFlow_kg_per_s;
        var tr = state.Return_k;
        var ts = state.Supply_k;
        var w = state.Withdrawal_kg_per_s;
        const double threshold = 1e-9;
        for (var i = 0; i < net.NodeCount; i++)
        {
            if (w[i] > 0 && !double.IsNaN(state.ReturnInjection_k[i]))
            {
                _sumMcp[i] = w[i] * cp;
                _sumMcpT[i] = w[i] * cp * state.ReturnInjection_k[i];
            }
        }
        // trees: children to parents, leaves first
        foreach (var v in _pruneOrder)
        {
            var b = _parentPipe[v];
            var parent = _parentNode[v];
            tr[v] = _sumMcp[v] > 0 ? _sumMcpT[v] / _sumMcp[v] : ground_k;
            var flow = Math.Abs(m[b]);
            if (flow <= threshold)
            {
                state.ReturnLoss_w[b] = 0;
                continue;
            }
            var ambient = ground_k + _coupling[b] * (0.5 * (ts[v] + ts[parent]) - ground_k);
            var outlet = Outlet(b, tr[v], flow, ambient, cp);
            state.ReturnLoss_w[b] = flow * cp * (tr[v] - outlet);
            _sumMcp[parent] += flow * cp;
            _sumMcpT[parent] += flow * cp * outlet;
        }
        // core: the return flows opposite to the supply
        var head = 0;
        var tail = 0;
        foreach (var b in _corePipes)
        {
            if (Math.Abs(m[b]) <= threshold)
            {
                state.ReturnLoss_w[b] = 0;
                continue;
            }
            var (up, down) = m[b] > 0 ? (net.To[b], net.From[b]) : (net.From[b], net.To[b]);
            _coreOutgoing[up].Add(b);
            _inDegree[down]++;
        }
        for (var i = 0; i < net.NodeCount; i++)
        {
            if (_core[i] && _inDegree[i] == 0)
            {
                _queue[tail++] = i;
            }
        }
        while (head < tail)
        {
            var v = _queue[head++];
            tr[v] = _sumMcp[v] > 0 ? _sumMcpT[v] / _sumMcp[v] : ground_k;
            foreach (var b in _coreOutgoing[v])
            {
                var down = m[b] > 0 ? net.From[b] : net.To[b];
                var flow = Math.Abs(m[b]);
                var ambient = ground_k + _coupling[b] * (0.5 * (ts[v] + ts[down]) - ground_k);
                var outlet = Outlet(b, tr[v], flow, ambient, cp);
                state.ReturnLoss_w[b] = flow * cp * (tr[v] - outlet);
                _sumMcp[down] += flow * cp;
                _sumMcpT[down] += flow * cp * outlet;
                if (--_inDegree[down] == 0)
                {
                    _queue[tail++] = down;
                }
            }
            _coreOutgoing[v].Clear();
        }
        Array.Clear(_sumMcp);
        Array.Clear(_sumMcpT);
        Array.Clear(_inDegree);
    }

    private double Outlet(int b, double inlet, double flow, double ambient, double cp) =>
        ambient + (inlet - ambient) * Math.Exp(-_ua[b] / (flow * cp));

    /// <summary>The highest friction pressure drop from the plant to a node with a withdrawal (Pa), and that node.</summary>
    public (double Drop_pa, int Node) WorstDrop(HourState state)
    {
        var worst = 0.0;
        var node = _plant;
        var p = state.Pressure_pa;
        for (var i = 0; i < _net.NodeCount; i++)
        {
            if (state.Withdrawal_kg_per_s[i] > 0 && p[_plant] - p[i] > worst)
            {
                worst = p[_plant] - p[i];
                node = i;
            }
        }
        return (worst, node);
    }
}
