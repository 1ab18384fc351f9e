using Socle.Modules.Heat.Scenarios;

namespace Socle.Modules.Heat.Indicators;

/// <summary>A building asking whether it must connect.</summary>
public sealed record BuildingQuery
{
    public double X_m { get; init; }

    public double Y_m { get; init; }

    /// <summary>Heating, cooling and hot-water power need.</summary>
    public double Need_kw { get; init; }

    /// <summary>A new building whose building permit was requested after the classement.</summary>
    public bool New { get; init; }

    /// <summary>An existing building whose heating or cooling installation is being replaced (rénovation importante).</summary>
    public bool ReplacingInstallation { get; init; }
}

public sealed record ConnectionAnswer(bool Obliged, bool InPriorityZone, bool NetworkClassed, double Threshold_kw, IReadOnlyList<string> Reasons)
{
    /// <summary>The building's case: <c>new</c>, <c>replacing</c> or <c>existing</c>.</summary>
    public string Case { get; init; } = "existing";

    public double Need_kw { get; init; }

    public bool ZoneDefined { get; init; }
}

/// <summary>
/// The connection obligation (Code de l'énergie L712-3 and R712-9): inside the priority development zone (PDP) of a classed
/// network, a new building or one whose heating or cooling installation is replaced must connect when its need exceeds
/// 30 kW — a threshold the authority may raise. The network is classed when it meets L712-1 (see <see cref="ClassementStatus"/>).
/// </summary>
public static class ConnectionObligation
{
    public static ConnectionAnswer Check(BuildingQuery building, RegulatoryInputs regulation, ClassementStatus classement)
    {
        var reasons = new List<string>();
        var inZone = regulation.PriorityZone.Count >= 3 && Contains(regulation.PriorityZone, building.X_m, building.Y_m);
        var threshold = regulation.ConnectionThreshold_kw;
        reasons.Add(classement.Eligible
            ? "the network is classed (L712-1: more than 50 % EnR&R, metering, balanced accounts)"
            : "the network is not classed: " + string.Join("; ", classement.Missing));
        reasons.Add(regulation.PriorityZone.Count < 3
            ? "no priority development zone (PDP) is defined"
            : inZone ? "the building is inside the priority development zone" : "the building is outside the priority development zone");
        var concerned = building.New || building.ReplacingInstallation;
        reasons.Add(building.New ? "new building" : building.ReplacingInstallation ? "heating or cooling installation replaced" : "existing building without replacement of its installation: not concerned");
        var above = building.Need_kw > threshold;
        reasons.Add($"need {building.Need_kw:0.#} kW {(above ? ">" : "≤")} threshold {threshold:0.#} kW");
        return new ConnectionAnswer(classement.Eligible && inZone && concerned && above, inZone, classement.Eligible, threshold, reasons)
        {
            Case = building.New ? "new" : building.ReplacingInstallation ? "replacing" : "existing",
            Need_kw = building.Need_kw,
            ZoneDefined = regulation.PriorityZone.Count >= 3,
        };
    }

    /// <summary>Point in polygon by ray casting (even-odd rule); points on an edge count as inside.</summary>
    public static bool Contains(IReadOnlyList<IReadOnlyList<double>> polygon, double x, double y)
    {
        var inside = false;
        for (int i = 0, j = polygon.Count - 1; i < polygon.Count; j = i++)
        {
            double xi = polygon[i][0], yi = polygon[i][1], xj = polygon[j][0], yj = polygon[j][1];
            if (OnSegment(xi, yi, xj, yj, x, y))
            {
                return true;
            }
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi)
            {
                inside = !inside;
            }
        }
        return inside;
    }

    private static bool OnSegment(double x1, double y1, double x2, double y2, double x, double y)
    {
        var cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1);
        if (Math.Abs(cross) > 1e-9 * Math.Max(1, Math.Abs(x2 - x1) + Math.Abs(y2 - y1)))
        {
            return false;
        }
        return x >= Math.Min(x1, x2) - 1e-9 && x <= Math.Max(x1, x2) + 1e-9 && y >= Math.Min(y1, y2) - 1e-9 && y <= Math.Max(y1, y2) + 1e-9;
    }
}
