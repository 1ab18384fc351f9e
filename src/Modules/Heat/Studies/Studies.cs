using Socle.Modules.Heat.Indicators;
using Socle.Modules.Heat.Network;
using Socle.Modules.Heat.Scenarios;
using Socle.Platform;

namespace Socle.Modules.Heat.Studies;

/// <summary>A building that could be connected: where it is, what it needs, and how far from the network.</summary>
public sealed record Candidate
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public SubscriberType Subscriber { get; init; } = SubscriberType.Housing;

    public double Subscribed_kw { get; init; }

    public double Heating_mwh { get; init; }

    public double HotWater_mwh { get; init; }

    public double Dwellings { get; init; }

    /// <summary>Densification: the existing node it connects to, and the length of its service pipe.</summary>
    public string? Node { get; init; }

    public double Service_m { get; init; } = 15;

    public double X_m { get; init; }

    public double Y_m { get; init; }
}

/// <summary>An extension: new street pipes from an existing node, and the buildings along them.</summary>
public sealed record Extension
{
    public IReadOnlyList<NetworkNode> Nodes { get; init; } = [];

    public IReadOnlyList<NetworkPipe> Pipes { get; init; } = [];

    /// <summary>Buildings on the new branch, each on a node of <see cref="Nodes"/> (with <see cref="Candidate.Node"/>).</summary>
    public IReadOnlyList<Candidate> Buildings { get; init; } = [];
}

public sealed record DensificationRequest
{
    /// <summary>Buildings along the existing network: each adds a service pipe and a substation.</summary>
    public IReadOnlyList<Candidate> Densification { get; init; } = [];

    public Extension? Extension { get; init; }
}

public sealed record LowTemperatureRequest
{
    /// <summary>How much the supply temperatures (design and mild) are lowered.</summary>
    public double SupplyDrop_k { get; init; } = 15;

    /// <summary>How much the return temperatures are lowered (substations renovated, emitters rebalanced).</summary>
    public double ReturnDrop_k { get; init; } = 10;
}

/// <summary>
/// The studies a local authority or a design office asks of a network, each as variants of a scenario simulated side by
/// side with it.
/// </summary>
public static class StudyVariants
{
    /// <summary>
    /// Densification (connecting buildings along the existing network: a short service pipe each) versus extension (new
    /// street pipes to reach new buildings). New pipes and substations count in the investment (their Existing/Planned
    /// flags), so each variant shows its added deliveries, density, investment, cost of the added heat and payback.
    /// </summary>
    public static Result<(Scenario Densified, Scenario? Extended)> Densification(Scenario baseScenario, DensificationRequest request)
    {
        var checks = new Checks();
        var nodes = baseScenario.Network.Nodes.ToDictionary(n => n.Id);
        var densified = baseScenario;
        var newNodes = new List<NetworkNode>();
        var newPipes = new List<NetworkPipe>();
        var newSubs = new List<Substation>();
        foreach (var c in request.Densification)
        {
            var field = $"densification[{c.Id}]";
            if (c.Node is null || !nodes.TryGetValue(c.Node, out var at))
            {
                checks.Add($"{field}.node", $"names node '{c.Node}', which is not on the network");
                continue;
            }
            checks.Range(c.Service_m, $"{field}.service_m", 1, 500);
            var nodeId = $"{c.Id}-connection";
            newNodes.Add(new NetworkNode { Id = nodeId, X_m = c.X_m != 0 || c.Y_m != 0 ? c.X_m : at.X_m + c.Service_m, Y_m = c.X_m != 0 || c.Y_m != 0 ? c.Y_m : at.Y_m, Height_m = at.Height_m });
            newPipes.Add(new NetworkPipe { Id = $"{c.Id}-service", From = c.Node, To = nodeId, Length_m = c.Service_m, Dn = ServiceDn(c.Subscribed_kw, baseScenario), Existing = false });
            newSubs.Add(ToSubstation(c, nodeId));
        }
        if (checks.Failed)
        {
            return checks.ToError();
        }
        densified = Add(baseScenario, "densification", newNodes, newPipes, newSubs);
        Scenario? extended = null;
        if (request.Extension is { } ext)
        {
            var extNodes = ext.Nodes.ToList();
            var extPipes = ext.Pipes.Select(p => p with { Existing = false }).ToList();
            var extSubs = ext.Buildings.Select(b => ToSubstation(b, b.Node ?? "")).ToList();
            extended = Add(baseScenario, "extension", extNodes, extPipes, extSubs);
        }
        return (densified, extended);
    }

    private static Substation ToSubstation(Candidate c, string node) => new()
    {
        Id = c.Id,
        Name = c.Name.Length > 0 ? c.Name : c.Id,
        Node = node,
        Subscriber = c.Subscriber,
        Subscribed_kw = c.Subscribed_kw,
        Heating_mwh = c.Heating_mwh,
        HotWater_mwh = c.HotWater_mwh,
        Dwellings = c.Dwellings,
        Planned = true,
    };

    private static Scenario Add(Scenario s, string suffix, List<NetworkNode> nodes, List<NetworkPipe> pipes, List<Substation> subs) => s with
    {
        Id = $"{s.Id}-{suffix}".Length <= 64 ? $"{s.Id}-{suffix}" : s.Id,
        Name = $"{s.Name} — {suffix}",
        Network = s.Network with { Nodes = [.. s.Network.Nodes, .. nodes], Pipes = [.. s.Network.Pipes, .. pipes] },
        Substations = [.. s.Substations, .. subs],
    };

    /// <summary>Service pipe size for a building: its subscribed power at the network's design temperature difference and 1.2 m/s.</summary>
    private static int ServiceDn(double kw, Scenario s)
    {
        var dt = Math.Max(10, Math.Abs(s.Temperatures.SupplyDesign_c - s.Temperatures.Return_c));
        var flow = kw / (4.19 * dt);
        return PipeCatalogue.Fit(Math.Sqrt(4 * flow / (970 * 1.2 * Math.PI))).Dn;
    }

    /// <summary>Low-temperature operation: supply and return lowered (substations and emitters adapted).</summary>
    public static Result<Scenario> LowTemperature(Scenario s, LowTemperatureRequest request)
    {
        var checks = new Checks();
        checks.Range(request.SupplyDrop_k, "supply_drop_k", 0, 60);
        checks.Range(request.ReturnDrop_k, "return_drop_k", 0, 40);
        if (checks.Failed)
        {
            return checks.ToError();
        }
        var t = s.Temperatures;
        return s with
        {
            Id = $"{s.Id}-bt".Length <= 64 ? $"{s.Id}-bt" : s.Id,
            Name = $"{s.Name} — basse température (−{request.SupplyDrop_k:0} K)",
            Temperatures = t with
            {
                SupplyDesign_c = t.SupplyDesign_c - request.SupplyDrop_k,
                SupplyMild_c = t.SupplyMild_c - request.SupplyDrop_k,
                Return_c = t.Return_c - request.ReturnDrop_k,
            },
            Substations = [.. s.Substations.Select(x => x.Return_c is { } r ? x with { Return_c = r - request.ReturnDrop_k } : x)],
        };
    }

    /// <summary>A variant's figures against its base.</summary>
    public static VariantResult Compare(string name, Scenario variant, IndicatorSet v, IndicatorSet b, Economics economics)
    {
        var addedDelivered = v.Delivered_mwh - b.Delivered_mwh;
        var addedInvestment = v.Economy.Investment_eur - b.Economy.Investment_eur;
        var r = economics.DiscountRate;
        var annuityFactor = r == 0 ? 1.0 / economics.LifetimeYears : r / (1 - Math.Pow(1 + r, -economics.LifetimeYears));
        var addedOperating = v.Economy.Operating_eur_per_year - b.Economy.Operating_eur_per_year;
        double? cost = addedDelivered > 1e-6 ? (addedInvestment * annuityFactor + addedOperating) / addedDelivered : null;
        var savings = v.Economy.ReferenceCost_eur_per_mwh * addedDelivered - addedOperating;
        double? payback = savings > 0 ? Math.Max(0, addedInvestment) / savings : null;
        return new VariantResult(name, ScenarioSummary.From(variant, v), addedDelivered, addedInvestment, cost, payback, v.Co2Avoided_t - b.Co2Avoided_t);
    }
}
