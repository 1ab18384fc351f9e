using Socle.Modules.Loyalty.Liability;

namespace Socle.Loyalty.Tests;

/// <summary>
/// KPMG, "Revenue – IFRS 15 handbook" (2019), Examples 10A and 10B (after IFRS 15.IE267–IE270), p. 279–280:
/// Retailer C gives 1 point per 10 spent, each point a 1 discount; 97 % of points are expected to be redeemed.
/// Year 1: sales 100,000, 10,000 points; stand-alone prices 100,000 and 9,700 (10,000 × 1 × 97 %); ratios 91 % / 9 %;
/// allocation 91,000 / 9,000. Year 2: 4,500 points redeemed → revenue 4,175 (9,000 × 4,500 / 9,700).
/// Year 3 (10A): 4,000 more redeemed, estimate raised to 9,900 → 3,552. (10B): estimate lowered to 9,200 → 4,140.
/// </summary>
public class Ifrs15Tests
{
    [Fact]
    public void KPMG_example_10A_allocates_9000_to_the_points_with_whole_percent_ratios()
    {
        var a = Ifrs15.Allocate(100_000m, 100_000m, 10_000, 1m, 0.97m, ratioDecimals: 2);
        Assert.Equal(9_700m, a.PointsStandAlone);
        Assert.Equal(0.09m, a.PointsRatio);
        Assert.Equal(91_000m, a.ToGoods);
        Assert.Equal(9_000m, a.ToPoints);
        // unrounded, the relative stand-alone selling price method gives 100,000 × 9,700 / 109,700
        Assert.Equal(8_842.30m, Math.Round(Ifrs15.Allocate(100_000m, 100_000m, 10_000, 1m, 0.97m).ToPoints, 2));
    }

    [Fact]
    public void KPMG_example_10A_recognises_4175_then_3552_when_the_estimate_rises()
    {
        var year2 = Ifrs15.PeriodRevenue(9_000m, 4_500, 9_700m, 0);
        Assert.Equal(4_175m, Math.Round(year2));
        var year3 = Ifrs15.PeriodRevenue(9_000m, 8_500, 9_900m, Math.Round(year2));
        Assert.Equal(3_552m, Math.Round(year3));
    }

    [Fact]
    public void KPMG_example_10B_recognises_4140_when_the_estimate_falls()
    {
        var year3 = Ifrs15.PeriodRevenue(9_000m, 8_500, 9_200m, 4_175m);
        Assert.Equal(4_140m, Math.Round(year3));
    }

    [Fact]
    public void Revenue_never_exceeds_the_allocation_once_every_expected_point_is_redeemed()
    {
        Assert.Equal(9_000m, Ifrs15.CumulativeRevenue(9_000m, 9_800, 9_700m));
    }
}
