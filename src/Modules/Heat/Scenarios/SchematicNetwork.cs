using Socle.Modules.Heat.Network;

namespace Socle.Modules.Heat.Scenarios;

/// <summary>A group of similar buildings in one district.</summary>
public sealed record BuildingGroup(
    string Prefix, string Name, SubscriberType Type, int Count, double Heating_mwh, double HotWater_mwh, double Subscribed_kw,
    double Dwellings, double CenterX_m, double CenterY_m, double Radius_m, bool Planned = false, double Cooling_mwh = 0);

/// <summary>
/// Lays out a schematic network for a list of building groups when the real layout is not at hand (the shipped
/// scenarios of the brief): buildings are placed in their districts (deterministic for a seed), joined to the plant by a
/// minimum spanning tree whose lengths are scaled to the published trench length, a few loops close nearby branches, and
/// every pipe is sized (EN 253 DN) for the peak it carries, with a diversity factor 0.8 + 0.2/n of the n buildings
/// downstream (the form of THERMOS' 0.62 + 0.38/n, with the asymptote the simulated load profiles show) and a velocity limit rising with the size.
/// </summary>
public static class SchematicNetwork
{
    public static (IReadOnlyList<NetworkNode> Nodes, IReadOnlyList<NetworkPipe> Pipes, IReadOnlyList<Substation> Substations) Build(
        IReadOnlyList<BuildingGroup> groups, double plantX_m, double plantY_m, double trench_m, int loops, double designDeltaT_k, int seed)
    {
        var random = new Random(seed);
        var nodes = new List<NetworkNode> { new() { Id = "chaufferie", X_m = plantX_m, Y_m = plantY_m } };
        var substations = new List<Substation>();
        foreach (var g in groups)
        {
            for (var k = 0; k < g.Count; k++)
            {
                var angle = random.NextDouble() * 2 * Math.PI;
                var r = g.Radius_m * Math.Sqrt(random.NextDouble());
                var id = g.Count == 1 ? g.Prefix : $"{g.Prefix}-{k + 1:D2}";
                nodes.Add(new NetworkNode { Id = id, X_m = Math.Round(g.CenterX_m + r * Math.Cos(angle)), Y_m = Math.Round(g.CenterY_m + r * Math.Sin(angle)) });
                substations.Add(new Substation
                {
                    Id = id,
                    Name = g.Count == 1 ? g.Name : $"{g.Name} {k + 1}",
                    Node = id,
                    Subscriber = g.Type,
                    Subscribed_kw = g.Subscribed_kw,
                    Heating_mwh = g.Heating_mwh,
                    HotWater_mwh = g.HotWater_mwh,
                    Cooling_mwh = g.Cooling_mwh,
                    Dwellings = g.Dwellings,
                    Planned = g.Planned,
                });
            }
        }
        var n = nodes.Count;
        double Distance(int a, int b) => Math.Max(1, Math.Sqrt(Math.Pow(nodes[a].X_m - nodes[b].X_m, 2) + Math.Pow(nodes[a].Y_m - nodes[b].Y_m, 2)));

        // Prim's minimum spanning tree from the plant
        var inTree = new bool[n];
        var best = Enumerable.Repeat(double.MaxValue, n).ToArray();
        var parent = Enumerable.Repeat(-1, n).ToArray();
        best[0] = 0;
        var order = new List<int>();
        for (var step = 0; step < n; step++)
        {
            var v = -1;
            for (var i = 0; i < n; i++)
            {
                if (!inTree[i] && (v < 0 || best[i] < best[v]))
                {
                    v = i;
                }
            }
            inTree[v] = true;
            order.Add(v);
            for (var i = 0; i < n; i++)
            {
                if (!inTree[i] && Distance(v, i) < best[i])
                {
                    best[i] = Distance(v, i);
                    parent[i] = v;
                }
            }
        }

        // peak carried by each tree pipe, with diversity
        var peak = new double[n];
        var count = new int[n];
        for (var i = 1; i < n; i++)
        {
            peak[i] = substations[i - 1].Subscribed_kw;
            count[i] = 1;
        }
        for (var k = order.Count - 1; k > 0; k--)
        {
            var v = order[k];
            peak[parent[v]] += peak[v];
            count[parent[v]] += count[v];
        }
        int Size(double kw, int buildings)
        {
            var diversity = 0.8 + 0.2 / Math.Max(1, buildings);
            var flow = kw * diversity / (4.19 * designDeltaT_k);
            foreach (var s in PipeCatalogue.Sizes)
            {
                var v = flow / (970 * Math.PI * s.Inner_m * s.Inner_m / 4);
                var limit = s.Dn <= 50 ? 0.8 : s.Dn <= 150 ? 1.2 : s.Dn <= 300 ? 1.6 : 2.0;
                if (v <= limit)
                {
                    return s.Dn;
                }
            }
            return PipeCatalogue.Sizes[^1].Dn;
        }
        var pipes = new List<NetworkPipe>();
        for (var i = 1; i < n; i++)
        {
            var v = order[i];
            pipes.Add(new NetworkPipe
            {
                Id = $"p-{nodes[parent[v]].Id}-{nodes[v].Id}",
                From = nodes[parent[v]].Id,
                To = nodes[v].Id,
                Length_m = Distance(v, parent[v]),
                Dn = Size(peak[v], count[v]),
                Series = 2,
            });
        }
        // loops: join close pairs of nodes that are far apart along the tree (meshing the larger branches)
        var depth = new int[n];
        foreach (var v in order.Skip(1))
        {
            depth[v] = depth[parent[v]] + 1;
        }
        var candidates = new List<(double D, int A, int B)>();
        for (var a = 1; a < n; a++)
        {
            for (var b = a + 1; b < n; b++)
            {
                if (parent[a] != b && parent[b] != a && depth[a] + depth[b] >= 6 && peak[a] > 0 && peak[b] > 0)
                {
                    candidates.Add((Distance(a, b), a, b));
                }
            }
        }
        var used = new HashSet<int>();
        foreach (var (_, a, b) in candidates.OrderBy(c => c.D))
        {
            if (pipes.Count >= n - 1 + loops)
            {
                break;
            }
            if (used.Contains(a) || used.Contains(b))
            {
                continue;
            }
            used.Add(a);
            used.Add(b);
            pipes.Add(new NetworkPipe
            {
                Id = $"boucle-{nodes[a].Id}-{nodes[b].Id}",
                From = nodes[a].Id,
                To = nodes[b].Id,
                Length_m = Distance(a, b),
                Dn = Math.Min(Size(Math.Min(peak[a], peak[b]), Math.Min(count[a], count[b])), 150),
                Series = 2,
            });
        }
        // lengths scaled so that the trench (tree and loops) has the published length: streets are not straight lines
        var scale = trench_m / pipes.Sum(p => p.Length_m!.Value);
        var scaled = pipes.Select(p => p with { Length_m = Math.Round(p.Length_m!.Value * scale, 1) }).ToList();
        return (nodes, scaled, substations);
    }
}
