using Dapper;
using Socle.Modules.Loyalty.Programs;
using Socle.Platform.Storage;

namespace Socle.Modules.Loyalty.Liability;

public sealed record OutstandingByExpiry(string ExpiryMonth, long Units);

/// <summary>The IFRS 15 view of a programme: what the outstanding units are worth and how much revenue is deferred.</summary>
public sealed record LiabilityReportData(
    string MerchantId,
    string AsOf,
    decimal MemberSales_eur,
    long UnitsIssued,
    long UnitsRedeemed,
    long UnitsExpired,
    long UnitsReversed,
    long UnitsOutstanding,
    decimal ValuePerUnit_eur,
    decimal ExpectedRedemptionRate,
    double? ObservedRedemptionRate,
    decimal PointsStandAlone_eur,
    decimal AllocatedToPoints_eur,
    decimal RevenueRecognised_eur,
    decimal ContractLiability_eur,
    decimal BreakageRecognised_eur,
    long BreakageUnitsExpected,
    IReadOnlyList<OutstandingByExpiry> Outstanding);

/// <summary>Builds the liability report from the ledger (see <see cref="Ifrs15"/> for the method).</summary>
public sealed class LiabilityReport(Database db, TimeProvider time)
{
    public async Task<LiabilityReportData> BuildAsync(string merchantId, ProgrammeDefinition programme, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var nowText = Sql.Time(now);
        await using var c = await db.OpenAsync(ct);
        var sums = (await c.QueryAsync<(string Kind, long Plus, long Minus)>(new CommandDefinition(
            "SELECT kind, CAST(COALESCE(SUM(CASE WHEN units > 0 THEN units ELSE 0 END), 0) AS BIGINT), CAST(COALESCE(SUM(CASE WHEN units < 0 THEN -units ELSE 0 END), 0) AS BIGINT) " +
            "FROM loyalty_ledger WHERE merchant_id = @merchantId GROUP BY kind", new { merchantId }, cancellationToken: ct))).ToDictionary(r => r.Kind);
        long Plus(string k) => sums.TryGetValue(k, out var v) ? v.Plus : 0;
        long Minus(string k) => sums.TryGetValue(k, out var v) ? v.Minus : 0;
        var issued = Plus("earn") + Plus("adjust");
        var redeemed = Minus("redeem");
        var expired = Minus("expire");
        var reversed = Minus("reversal") + Minus("adjust");
        var sales = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CAST(COALESCE(SUM(amount_cents - refunded_cents), 0) AS BIGINT) FROM loyalty_purchases WHERE merchant_id = @merchantId AND member_id IS NOT NULL",
            new { merchantId }, cancellationToken: ct));
        var outstanding = (await c.QueryAsync<(string Month, long Units)>(new CommandDefinition(
            "SELECT COALESCE(substr(expires_at, 1, 7), 'never'), CAST(SUM(remaining) AS BIGINT) FROM loyalty_batches WHERE merchant_id = @merchantId AND remaining > 0 " +
            "AND (expires_at IS NULL OR expires_at > @nowText) GROUP BY COALESCE(substr(expires_at, 1, 7), 'never') ORDER BY 1", new { merchantId, nowText }, cancellationToken: ct)))
            .Select(r => new OutstandingByExpiry(r.Month, r.Units)).ToList();

        var rate = programme.ExpectedRedemptionRate;
        var salesEur = sales / 100m;
        var allocation = Ifrs15.Allocate(salesEur, salesEur, issued, programme.ValuePerUnit_eur, rate);
        var expectedUnits = issued * rate;
        var recognised = Ifrs15.CumulativeRevenue(allocation.ToPoints, redeemed, expectedUnits);
        var perUnit = issued == 0 ? 0 : allocation.ToPoints / issued;
        var breakage = Math.Max(0, recognised - redeemed * perUnit);
        return new LiabilityReportData(merchantId, nowText, salesEur, issued, redeemed, expired, reversed, outstanding.Sum(o => o.Units),
            programme.ValuePerUnit_eur, rate, redeemed + expired == 0 ? null : Math.Round(redeemed / (double)(redeemed + expired), 4),
            Round(allocation.PointsStandAlone), Round(allocation.ToPoints), Round(recognised), Round(allocation.ToPoints - recognised), Round(breakage),
            (long)Math.Floor(issued * (1 - rate)), outstanding);
    }

    private static decimal Round(decimal v) => Math.Round(v, 2, MidpointRounding.AwayFromZero);
}
