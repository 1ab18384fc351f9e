using Socle.Modules.Heat.Indicators;
using Socle.Modules.Heat.Scenarios;

namespace Socle.Heat.Tests.Indicators;

public class ConnectionObligationTests
{
    private static readonly RegulatoryInputs Zone = new()
    {
        PriorityZone = [[0, 0], [1000, 0], [1000, 500], [0, 500]],
        ConnectionThreshold_kw = 30,
    };

    private static readonly ClassementStatus Classed = new(true, 0.7, ["EnR&R"], []);
    private static readonly ClassementStatus NotClassed = new(false, 0.4, [], ["EnR&R rate 40.0 % ≤ 50 %"]);

    [Fact]
    public void A_new_building_above_30_kW_inside_the_zone_of_a_classed_network_must_connect()
    {
        var a = ConnectionObligation.Check(new BuildingQuery { X_m = 200, Y_m = 200, Need_kw = 45, New = true }, Zone, Classed);
        Assert.True(a.Obliged);
        Assert.True(a.InPriorityZone);
    }

    [Theory]
    [InlineData(200, 200, 30, true, false, "at the threshold")]      // 30 kW is not above 30 kW
    [InlineData(1200, 200, 300, true, false, "outside the zone")]
    [InlineData(200, 200, 300, false, false, "existing, nothing replaced")]
    public void Otherwise_it_need_not(double x, double y, double kw, bool isNew, bool expected, string why)
    {
        var a = ConnectionObligation.Check(new BuildingQuery { X_m = x, Y_m = y, Need_kw = kw, New = isNew }, Zone, Classed);
        Assert.True(a.Obliged == expected, why);
    }

    [Fact]
    public void Replacing_a_heating_installation_counts_like_a_new_building()
    {
        Assert.True(ConnectionObligation.Check(new BuildingQuery { X_m = 10, Y_m = 10, Need_kw = 80, ReplacingInstallation = true }, Zone, Classed).Obliged);
    }

    [Fact]
    public void The_authority_may_raise_the_threshold()
    {
        var raised = Zone with { ConnectionThreshold_kw = 100 };
        Assert.False(ConnectionObligation.Check(new BuildingQuery { X_m = 10, Y_m = 10, Need_kw = 80, New = true }, raised, Classed).Obliged);
    }

    [Fact]
    public void An_unclassed_network_imposes_nothing_and_says_why()
    {
        var a = ConnectionObligation.Check(new BuildingQuery { X_m = 10, Y_m = 10, Need_kw = 80, New = true }, Zone, NotClassed);
        Assert.False(a.Obliged);
        Assert.Contains(a.Reasons, r => r.Contains("not classed"));
    }

    [Fact]
    public void Point_in_polygon_handles_concave_zones_and_edges()
    {
        IReadOnlyList<IReadOnlyList<double>> l = [[0, 0], [10, 0], [10, 2], [2, 2], [2, 10], [0, 10]];
        Assert.True(ConnectionObligation.Contains(l, 1, 9));
        Assert.False(ConnectionObligation.Contains(l, 5, 5));
        Assert.True(ConnectionObligation.Contains(l, 10, 1)); // on an edge
    }
}
