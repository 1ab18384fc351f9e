namespace Socle.Modules.Loyalty.Liability;

/// <summary>
/// Loyalty points under IFRS 15: points that give a material right are a separate performance obligation (IFRS 15.B39–B43).
/// The transaction price is allocated between the goods and the points by relative stand-alone selling price, the points'
/// one being units × value per unit × the expected redemption rate. The part allocated to the points is deferred as a
/// contract liability and recognised as units are redeemed, in proportion to the units expected to be redeemed in total —
/// which recognises the expected breakage along the way (B44–B47):
/// <code>
/// cumulative revenue = allocated to points × min(1, units redeemed ÷ units expected to be redeemed)
/// </code>
/// Changes of the estimate are cumulative catch-ups (IFRS 15.IE267–IE270; KPMG, Revenue – IFRS 15 handbook, Examples 10A/10B).
/// </summary>
public static class Ifrs15
{
    public sealed record Allocation(decimal GoodsStandAlone, decimal PointsStandAlone, decimal GoodsRatio, decimal PointsRatio, decimal ToGoods, decimal ToPoints);

    /// <summary>
    /// Allocates <paramref name="transactionPrice"/> by relative stand-alone selling prices. <paramref name="ratioDecimals"/>
    /// rounds the ratios as a published example does (KPMG rounds them to whole percents: 2 decimals); null keeps them exact.
    /// </summary>
    public static Allocation Allocate(decimal transactionPrice, decimal goodsStandAlone, long unitsIssued, decimal valuePerUnit, decimal expectedRedemptionRate, int? ratioDecimals = null)
    {
        var pointsStandAlone = unitsIssued * valuePerUnit * expectedRedemptionRate;
        var total = goodsStandAlone + pointsStandAlone;
        if (total == 0)
        {
            return new Allocation(0, 0, 0, 0, 0, 0);
        }
        var pointsRatio = pointsStandAlone / total;
        if (ratioDecimals is { } d)
        {
            pointsRatio = Math.Round(pointsRatio, d, MidpointRounding.AwayFromZero);
        }
        var goodsRatio = 1 - pointsRatio;
        return new Allocation(goodsStandAlone, pointsStandAlone, goodsRatio, pointsRatio, transactionPrice * goodsRatio, transactionPrice * pointsRatio);
    }

    /// <summary>Revenue recognised on the points up to now, given the units redeemed so far and the current estimate of units that will be redeemed.</summary>
    public static decimal CumulativeRevenue(decimal allocatedToPoints, long unitsRedeemed, decimal unitsExpectedToBeRedeemed) =>
        unitsExpectedToBeRedeemed <= 0 ? allocatedToPoints : allocatedToPoints * Math.Min(1m, unitsRedeemed / unitsExpectedToBeRedeemed);

    /// <summary>The revenue of one period: cumulative revenue now minus what earlier periods recognised.</summary>
    public static decimal PeriodRevenue(decimal allocatedToPoints, long cumulativeRedeemed, decimal unitsExpectedToBeRedeemed, decimal recognisedBefore) =>
        CumulativeRevenue(allocatedToPoints, cumulativeRedeemed, unitsExpectedToBeRedeemed) - recognisedBefore;
}
