using Socle.Platform;

namespace Socle.Modules.Heat.Hydraulics;

/// <summary>
/// A pipe network on arrays: the solver's view. Components (scenario pipes, pandapipes pipes) describe themselves to a
/// <see cref="FlowNetworkBuilder"/>; the solver then works on these arrays only. Indices are stable: node i, pipe b.
/// </summary>
public sealed class FlowNetwork
{
    internal FlowNetwork(
        string[] nodeIds, double[] height_m, string[] pipeIds, int[] from, int[] to, double[] length_m, double[] diameter_m,
        double[] roughness_m, double[] lossCoefficient, double[] heatLoss_w_per_m_k, double[] ambient_k, int[] sections)
    {
        NodeIds = nodeIds;
        Height_m = height_m;
        PipeIds = pipeIds;
        From = from;
        To = to;
        Length_m = length_m;
        Diameter_m = diameter_m;
        Roughness_m = roughness_m;
        LossCoefficient = lossCoefficient;
        HeatLoss_w_per_m_k = heatLoss_w_per_m_k;
        Ambient_k = ambient_k;
        Sections = sections;
        Area_m2 = new double[pipeIds.Length];
        for (var b = 0; b < pipeIds.Length; b++)
        {
            Area_m2[b] = Math.PI * diameter_m[b] * diameter_m[b] / 4.0;
        }
    }

    public int NodeCount => NodeIds.Length;

    public int PipeCount => PipeIds.Length;

    public string[] NodeIds { get; }

    public double[] Height_m { get; }

    public string[] PipeIds { get; }

    public int[] From { get; }

    public int[] To { get; }

    public double[] Length_m { get; }

    /// <summary>Inner diameter.</summary>
    public double[] Diameter_m { get; }

    /// <summary>Equivalent sand roughness k.</summary>
    public double[] Roughness_m { get; }

    /// <summary>Sum of local loss coefficients ζ over the pipe (Δp = ζ·ρv²/2).</summary>
    public double[] LossCoefficient { get; }

    /// <summary>Heat loss per metre and per kelvin between the fluid and its surroundings, U′ = U·π·D (W/(m·K)).</summary>
    public double[] HeatLoss_w_per_m_k { get; }

    /// <summary>Temperature of the surroundings (soil, air) of each pipe.</summary>
    public double[] Ambient_k { get; }

    /// <summary>Number of sections each pipe is cut into for temperatures and properties (1 = the pipe as one piece).</summary>
    public int[] Sections { get; }

    public double[] Area_m2 { get; }

    public int IndexOfNode(string id) => Array.IndexOf(NodeIds, id);

    /// <summary>
    /// The nodes not connected, through pipes, to any of <paramref name="anchors"/> (the plant or the fixed-pressure nodes).
    /// An empty answer means the network is connected.
    /// </summary>
    public IReadOnlyList<int> Unreachable(IEnumerable<int> anchors)
    {
        var adjacency = Adjacency();
        var seen = new bool[NodeCount];
        var stack = new Stack<int>();
        foreach (var a in anchors)
        {
            if (!seen[a])
            {
                seen[a] = true;
                stack.Push(a);
            }
        }
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            foreach (var (w, _) in adjacency[v])
            {
                if (!seen[w])
                {
                    seen[w] = true;
                    stack.Push(w);
                }
            }
        }
        var missing = new List<int>();
        for (var i = 0; i < NodeCount; i++)
        {
            if (!seen[i])
            {
                missing.Add(i);
            }
        }
        return missing;
    }

    /// <summary>For each node, its neighbours and the pipe that joins them.</summary>
    public List<(int Node, int Pipe)>[] Adjacency()
    {
        var adjacency = new List<(int, int)>[NodeCount];
        for (var i = 0; i < NodeCount; i++)
        {
            adjacency[i] = [];
        }
        for (var b = 0; b < PipeCount; b++)
        {
            adjacency[From[b]].Add((To[b], b));
            adjacency[To[b]].Add((From[b], b));
        }
        return adjacency;
    }
}

/// <summary>Collects nodes and pipes, checks each value with the element's id in the message, and builds the arrays.</summary>
public sealed class FlowNetworkBuilder
{
    private readonly List<string> _nodeIds = [];
    private readonly Dictionary<string, int> _nodeIndex = new(StringComparer.Ordinal);
    private readonly List<double> _height = [];
    private readonly List<string> _pipeIds = [];
    private readonly HashSet<string> _pipeIdSet = new(StringComparer.Ordinal);
    private readonly List<int> _from = [];
    private readonly List<int> _to = [];
    private readonly List<double> _length = [];
    private readonly List<double> _diameter = [];
    private readonly List<double> _roughness = [];
    private readonly List<double> _zeta = [];
    private readonly List<double> _heatLoss = [];
    private readonly List<double> _ambient = [];
    private readonly List<int> _sections = [];
    private readonly Checks _checks = new();

    public int AddNode(string id, double height_m = 0)
    {
        if (_nodeIndex.ContainsKey(id))
        {
            _checks.Add($"nodes[{id}]", "is defined twice");
            return _nodeIndex[id];
        }
        _checks.That(double.IsFinite(height_m), $"nodes[{id}].height_m", "must be a number");
        _nodeIndex[id] = _nodeIds.Count;
        _nodeIds.Add(id);
        _height.Add(height_m);
        return _nodeIds.Count - 1;
    }

    public bool TryGetNode(string id, out int index) => _nodeIndex.TryGetValue(id, out index);

    public int AddPipe(string id, string from, string to, double length_m, double diameter_m, double roughness_m,
        double heatLoss_w_per_m_k, double ambient_k, int sections = 1, double lossCoefficient = 0)
    {
        var field = $"pipes[{id}]";
        if (!_pipeIdSet.Add(id))
        {
            _checks.Add(field, "is defined twice");
        }
        if (!_nodeIndex.TryGetValue(from, out var f))
        {
            _checks.Add($"{field}.from", $"names node '{from}', which does not exist");
        }
        if (!_nodeIndex.TryGetValue(to, out var t))
        {
            _checks.Add($"{field}.to", $"names node '{to}', which does not exist");
        }
        if (from == to)
        {
            _checks.Add($"{field}.to", "must differ from 'from' (a pipe joins two nodes)");
        }
        _checks.Positive(length_m, $"{field}.length_m");
        _checks.Range(diameter_m, $"{field}.diameter_m", 0.005, 3.0);
        _checks.Range(roughness_m, $"{field}.roughness_m", 0, 0.01);
        _checks.NonNegative(heatLoss_w_per_m_k, $"{field}.heat_loss_w_per_m_k");
        _checks.Range(ambient_k, $"{field}.ambient_k", 200, 400);
        _checks.Range(sections, $"{field}.sections", 1, 1000);
        _checks.NonNegative(lossCoefficient, $"{field}.loss_coefficient");
        _pipeIds.Add(id);
        _from.Add(f);
        _to.Add(t);
        _length.Add(length_m);
        _diameter.Add(diameter_m);
        _roughness.Add(roughness_m);
        _heatLoss.Add(heatLoss_w_per_m_k);
        _ambient.Add(ambient_k);
        _sections.Add(Math.Max(1, sections));
        _zeta.Add(lossCoefficient);
        return _pipeIds.Count - 1;
    }

    public Result<FlowNetwork> Build()
    {
        if (_nodeIds.Count == 0)
        {
            _checks.Add("nodes", "the network has no node");
        }
        if (_checks.Failed)
        {
            return _checks.ToError();
        }
        return new FlowNetwork([.. _nodeIds], [.. _height], [.. _pipeIds], [.. _from], [.. _to], [.. _length], [.. _diameter],
            [.. _roughness], [.. _zeta], [.. _heatLoss], [.. _ambient], [.. _sections]);
    }
}
