using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Socle.Modules.Loyalty.Ledger;
using Socle.Modules.Loyalty.Programs;
using Socle.Modules.Loyalty.Rules;
using Socle.Platform.Storage;

namespace Socle.Modules.Loyalty.Members;

/// <summary>
/// The daily surprises, in the shop's time zone (Europe/Paris): birthday points (day and month only), sign-up anniversary,
/// and a win-back offer for members who have not come for N days — the offer only to members who consented to marketing.
/// Each is keyed (member, year or last visit), so running the sweep twice grants nothing twice.
/// Tiers are re-evaluated too, so a member who stops coming goes down after the grace period.
/// </summary>
public sealed class Surprises(Database db, TimeProvider time, MemberLedger ledger, Outbox outbox, Members members)
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string? DisplayName { get; set; }
        public long? BirthdayDay { get; set; }
        public long? BirthdayMonth { get; set; }
        public string JoinedAt { get; set; } = "";
        public string? LastVisitAt { get; set; }
        public long TierLevel { get; set; }
        public string? TierGraceUntil { get; set; }
    }

    public async Task<int> RunAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, Paris).DateTime);
        var done = 0;
        List<string> merchantIds;
        await using (var c = await db.OpenAsync(ct))
        {
            merchantIds = (await c.QueryAsync<string>(new CommandDefinition("SELECT id FROM loyalty_merchants", cancellationToken: ct))).AsList();
        }
        foreach (var merchantId in merchantIds)
        {
            Programme? programme;
            List<Row> rows;
            await using (var c = await db.OpenAsync(ct))
            {
                programme = await Merchants.ProgrammeAsync(c, null, merchantId, ct);
                rows = (await c.QueryAsync<Row>(new CommandDefinition(
                    "SELECT id, display_name AS DisplayName, birthday_day AS BirthdayDay, birthday_month AS BirthdayMonth, joined_at AS JoinedAt, last_visit_at AS LastVisitAt, " +
                    "tier_level AS TierLevel, tier_grace_until AS TierGraceUntil FROM loyalty_members WHERE merchant_id = @merchantId AND erased_at IS NULL",
                    new { merchantId }, cancellationToken: ct))).AsList();
            }
            if (programme is null)
            {
                continue;
            }
            var s = programme.Definition.Surprises;
            foreach (var m in rows)
            {
                if (s.BirthdayPoints > 0 && m.BirthdayDay == today.Day && m.BirthdayMonth == today.Month)
                {
                    var r = await ledger.AdjustAsync(merchantId, m.Id, s.BirthdayPoints, "surprise: happy birthday", $"birthday:{m.Id}:{today.Year}", ct: ct);
                    if (r.IsSuccess && !r.Value.Replayed)
                    {
                        done++;
                        await outbox.EnqueueAsync(merchantId, m.Id, "page", "birthday", "Joyeux anniversaire !", $"{s.BirthdayPoints} points offerts pour votre anniversaire.", $"birthday:{m.Id}:{today.Year}", ct);
                    }
                }
                var joined = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Sql.ParseTime(m.JoinedAt), Paris).DateTime);
                if (s.AnniversaryPoints > 0 && joined.Month == today.Month && joined.Day == today.Day && joined.Year < today.Year)
                {
                    var r = await ledger.AdjustAsync(merchantId, m.Id, s.AnniversaryPoints, $"surprise: {today.Year - joined.Year} year(s) with us", $"anniversary:{m.Id}:{today.Year}", ct: ct);
                    if (r.IsSuccess && !r.Value.Replayed)
                    {
                        done++;
                    }
                }
                if (s.WinBackAfterDays > 0 && m.LastVisitAt is { } last && (now - Sql.ParseTime(last)).TotalDays >= s.WinBackAfterDays
                    && await members.HasConsentAsync(m.Id, Purpose.Marketing, ct))
                {
                    var offer = s.WinBackOffer.Length > 0 ? s.WinBackOffer : "Vous nous manquez : passez nous voir, une attention vous attend.";
                    if (await outbox.EnqueueAsync(merchantId, m.Id, "email", "winback", "Vous nous manquez", offer, $"winback:{m.Id}:{last}", ct))
                    {
                        done++;
                    }
                }
                if (programme.Definition.Tiers is { } tiers && m.TierLevel >= 0)
                {
                    await ReevaluateTierAsync(merchantId, m, tiers, now, ct);
                }
            }
        }
        return done;
    }

    private async Task ReevaluateTierAsync(string merchantId, Row m, TierSettings tiers, DateTimeOffset now, CancellationToken ct)
    {
        await db.InTransactionAsync(async (c, tx) =>
        {
            var earned = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT CAST(COALESCE(SUM(units), 0) AS BIGINT) FROM loyalty_batches WHERE member_id = @Id AND purchase_id IS NOT NULL AND earned_at >= @from",
                new { m.Id, from = Sql.Time(now.AddDays(-tiers.WindowDays)) }, tx, cancellationToken: ct));
            var state = Tiers.Evaluate(tiers, new TierState((int)m.TierLevel, m.TierGraceUntil is { } g ? Sql.ParseTime(g) : null), earned, now);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE loyalty_members SET tier_level = @level, tier_grace_until = @grace WHERE id = @Id AND merchant_id = @merchantId",
                new { level = state.Level, grace = state.GraceUntil is { } gu ? Sql.Time(gu) : null, m.Id, merchantId }, tx, cancellationToken: ct));
        }, ct);
    }
}

/// <summary>The background work: expiry, surprises, outbox delivery, every <c>Socle:Loyalty:SweepSeconds</c>.</summary>
internal sealed class LoyaltySweeper(IServiceProvider services, IOptions<LoyaltyOptions> options, ILogger<LoyaltySweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Background)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.SweepSeconds));
        do
        {
            try
            {
                var expired = await services.GetRequiredService<MemberLedger>().ExpireDueAsync(null, stoppingToken);
                var surprises = await services.GetRequiredService<Surprises>().RunAsync(stoppingToken);
                var sent = await services.GetRequiredService<Outbox>().DeliverAsync(stoppingToken);
                if (expired + surprises + sent > 0)
                {
                    Log.Swept(logger, expired, surprises, sent);
                }
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or JsonException)
            {
                Log.SweepFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
