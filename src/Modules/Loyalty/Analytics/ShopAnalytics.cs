using System.Globalization;
using Dapper;
using Socle.Modules.Loyalty.Programs;
using Socle.Platform.Storage;

namespace Socle.Modules.Loyalty.Analytics;

public sealed record CohortRow(string Cohort, long Members, IReadOnlyList<double> Retention);

public sealed record MemberInsight(string MemberId, string? DisplayName, int R, int F, int M, int Score, string Segment, string? FavouriteCategory, string? UsualDay, double Clv12Months, double ProbabilityAlive);

public sealed record ClvSummary(BetaGeoParameters? BetaGeo, GammaGammaParameters? GammaGamma, int Customers, double AverageClv12Months, string? Note);

public sealed record AnalyticsReport(
    long Members,
    long Purchases,
    double RepeatRate,
    double PurchaseFrequency,
    decimal AverageOrderMembers_eur,
    decimal AverageOrderOthers_eur,
    IReadOnlyList<CohortRow> Cohorts,
    ClvSummary Clv,
    decimal RedeemedValue_eur,
    decimal IncrementalMargin_eur,
    double? Roi,
    IReadOnlyList<MemberInsight> TopMembers,
    IReadOnlyDictionary<string, int> Segments)
{
    /// <summary>Every buying member's insight (for targeting); not serialised.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<MemberInsight> AllMembers { get; init; } = [];
}

/// <summary>
/// A shop's analytics: retention by sign-up cohort, repeat rate, purchase frequency, average order value of members and
/// of other customers, RFM segments, favourite category and usual day, CLV (BG/NBD + Gamma-Gamma fitted on the shop's own
/// purchases) and the programme's ROI.
/// </summary>
public sealed class ShopAnalytics(Database db, TimeProvider time)
{
    private sealed class PurchaseRow
    {
        public string? MemberId { get; set; }
        public long AmountCents { get; set; }
        public long RefundedCents { get; set; }
        public string OccurredAt { get; set; } = "";
        public string Categories { get; set; } = "";
    }

    /// <summary>Conventional formulas (research notes §5.2): repeat rate = members with ≥ 2 purchases ÷ members with one;
    /// frequency = purchases ÷ purchasing members; AOV = revenue ÷ orders; ROI = (incremental margin − cost of rewards) ÷ cost,
    /// the incremental margin being (AOV members − AOV others) × member orders × <paramref name="margin"/>.</summary>
    public async Task<AnalyticsReport> ReportAsync(string merchantId, ProgrammeDefinition programme, decimal margin = 0.3m, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        await using var c = await db.OpenAsync(ct);
        var purchases = (await c.QueryAsync<PurchaseRow>(new CommandDefinition(
            "SELECT member_id AS MemberId, amount_cents AS AmountCents, refunded_cents AS RefundedCents, occurred_at AS OccurredAt, categories FROM loyalty_purchases WHERE merchant_id = @merchantId",
            new { merchantId }, cancellationToken: ct))).AsList();
        var members = (await c.QueryAsync<(string Id, string? Name, string JoinedAt)>(new CommandDefinition(
            "SELECT id, display_name, joined_at FROM loyalty_members WHERE merchant_id = @merchantId", new { merchantId }, cancellationToken: ct))).AsList();
        var redeemed = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT CAST(COALESCE(-SUM(units), 0) AS BIGINT) FROM loyalty_ledger WHERE merchant_id = @merchantId AND kind = 'redeem'", new { merchantId }, cancellationToken: ct));

        var memberPurchases = purchases.Where(p => p.MemberId is not null).ToList();
        var others = purchases.Where(p => p.MemberId is null).ToList();
        var byMember = memberPurchases.GroupBy(p => p.MemberId!).ToDictionary(g => g.Key, g => g.ToList());
        var buyers = byMember.Count;
        var repeatRate = buyers == 0 ? 0 : byMember.Count(g => g.Value.Count >= 2) / (double)buyers;
        var frequency = buyers == 0 ? 0 : memberPurchases.Count / (double)buyers;
        static decimal Aov(List<PurchaseRow> rows) => rows.Count == 0 ? 0 : Math.Round(rows.Sum(p => p.AmountCents - p.RefundedCents) / 100m / rows.Count, 2);
        var aovMembers = Aov(memberPurchases);
        var aovOthers = Aov(others);

        // retention by monthly sign-up cohort: share of the cohort buying in month k after joining (k = 0…5)
        var cohorts = members.GroupBy(m => m.JoinedAt[..7]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var start = DateOnly.ParseExact(g.Key + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var retention = Enumerable.Range(0, 6).Select(k =>
            {
                var month = start.AddMonths(k).ToString("yyyy-MM", CultureInfo.InvariantCulture);
                var active = g.Count(m => byMember.TryGetValue(m.Id, out var ps) && ps.Any(p => p.OccurredAt.StartsWith(month, StringComparison.Ordinal)));
                return Math.Round(active / (double)g.Count(), 4);
            }).ToList();
            return new CohortRow(g.Key, g.Count(), retention);
        }).ToList();

        // RFM, favourite category and usual day
        var inputs = byMember.Select(kv => new RfmInput(kv.Key,
            (now - Sql.ParseTime(kv.Value.Max(p => p.OccurredAt)!)).TotalDays, kv.Value.Count, kv.Value.Sum(p => p.AmountCents - p.RefundedCents) / 100m)).ToList();
        var scores = Rfm.Score(inputs).ToDictionary(s => s.Customer);

        // CLV: BG/NBD + Gamma-Gamma on the shop's own history, in weeks
        var histories = CustomerHistories.FromPurchases(
            memberPurchases.Select(p => new PurchaseRecord(p.MemberId!, DateOnly.FromDateTime(Sql.ParseTime(p.OccurredAt).UtcDateTime), (p.AmountCents - p.RefundedCents) / 100m)),
            DateOnly.FromDateTime(now.UtcDateTime));
        BetaGeoParameters? bg = null;
        GammaGammaParameters? gg = null;
        string? note = null;
        var repeaters = histories.Values.Count(h => h.Frequency > 0 && h.MonetaryValue > 0);
        if (histories.Count >= 20 && repeaters >= 10)
        {
            bg = BetaGeo.FitParameters(histories.Values).Parameters;
            gg = GammaGamma.FitParameters(histories.Values).Parameters;
            if (Math.Abs(bg.A - 1) < 1e-6 || gg.Q <= 1)
            {
                note = "the fitted parameters are outside the models' range (a = 1 or q ≤ 1): more history is needed";
                bg = null;
                gg = null;
            }
        }
        else
        {
            note = $"CLV needs at least 20 customers and 10 with repeat purchases (now {histories.Count} and {repeaters})";
        }
        var clv = new Dictionary<string, (double Clv, double Alive)>();
        if (bg is not null && gg is not null)
        {
            foreach (var (id, h) in histories)
            {
                clv[id] = (GammaGamma.CustomerLifetimeValue(bg, gg, h, 12, 4.345, 0.01), BetaGeo.ProbabilityAlive(bg, h.Frequency, h.Recency, h.Age));
            }
        }
        var names = members.ToDictionary(m => m.Id, m => m.Name);
        var insights = byMember.Select(kv =>
        {
            var s = scores[kv.Key];
            var favourite = kv.Value.SelectMany(p => p.Categories.Split(',', StringSplitOptions.RemoveEmptyEntries)).GroupBy(x => x)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).FirstOrDefault();
            var day = kv.Value.GroupBy(p => Sql.ParseTime(p.OccurredAt).DayOfWeek).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key.ToString()).First();
            var (value, alive) = clv.GetValueOrDefault(kv.Key);
            return new MemberInsight(kv.Key, names.GetValueOrDefault(kv.Key), s.R, s.F, s.M, s.Score, s.Segment, favourite, day, Math.Round(value, 2), Math.Round(alive, 4));
        }).OrderByDescending(i => i.Score).ThenBy(i => i.MemberId, StringComparer.Ordinal).ToList();

        var redeemedValue = redeemed * programme.ValuePerUnit_eur;
        var incremental = Math.Max(0, aovMembers - aovOthers) * memberPurchases.Count * margin;
        double? roi = redeemedValue > 0 && others.Count > 0 ? (double)((incremental - redeemedValue) / redeemedValue) : null;
        return new AnalyticsReport(members.Count, purchases.Count, Math.Round(repeatRate, 4), Math.Round(frequency, 3), aovMembers, aovOthers, cohorts,
            new ClvSummary(bg, gg, histories.Count, clv.Count == 0 ? 0 : Math.Round(clv.Values.Average(v => v.Clv), 2), note),
            redeemedValue, Math.Round(incremental, 2), roi is { } r ? Math.Round(r, 3) : null, insights.Take(50).ToList(),
            insights.GroupBy(i => i.Segment).ToDictionary(g => g.Key, g => g.Count())) { AllMembers = insights };
    }
}
