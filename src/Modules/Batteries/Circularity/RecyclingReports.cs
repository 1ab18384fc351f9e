using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using Socle.Modules.Batteries.Parties;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Batteries.Circularity;

public sealed record StoredRecyclingReport(RecyclingReport Report, string RecyclerName, DateTimeOffset RecordedAt, RecyclingResult Result);

/// <summary>Recyclers' reports: submitted by a recycler (a person with a legitimate interest, interest "recycler"),
/// stored and journaled in <c>batteries/recycling/{recycler}</c>, read by the recycler itself, authorities and the Commission.</summary>
public sealed class RecyclingReports(Database db, Platform.Journal.Journal journal, PartyStore parties, TimeProvider time, ILogger<RecyclingReports> logger)
{
    public async Task<Result<StoredRecyclingReport>> SubmitAsync(Party recycler, RecyclingReport report, CancellationToken ct)
    {
        if (!recycler.IsRecycler)
        {
            return Error.Forbidden("Only a recycler submits recycling reports.");
        }
        if (report.Problems() is { } error)
        {
            return error;
        }
        var stored = report with { Id = $"rr-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}", RecyclerId = recycler.Id };
        var now = Sql.TruncateToMicroseconds(time.GetUtcNow());
        var json = JsonSerializer.Serialize(stored, JsonText.Options);
        await db.InTransactionAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO battery_recycling_reports (id, recycler_id, period_start, period_end, report, recorded_at) VALUES (@Id, @RecyclerId, @start, @end, @json, @at)",
                new { stored.Id, stored.RecyclerId, start = Day(stored.PeriodStart), end = Day(stored.PeriodEnd), json, at = Sql.Time(now) }, tx, cancellationToken: ct));
            await journal.AppendAsync(c, tx, $"batteries/recycling/{recycler.Id}", "battery.recycling.report", json, ct);
        }, ct);
        Log.RecyclingReportRecorded(logger, stored.Id!, recycler.Id);
        return new StoredRecyclingReport(stored, recycler.Name, now, Recycling.Check(stored));
    }

    /// <summary>Reports, newest period first; a recycler's own when <paramref name="recyclerId"/> is given.</summary>
    public async Task<IReadOnlyList<StoredRecyclingReport>> ListAsync(string? recyclerId, DateOnly? at, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Report, string RecordedAt)>(new CommandDefinition(
            "SELECT report, recorded_at FROM battery_recycling_reports WHERE (@recyclerId IS NULL OR recycler_id = @recyclerId) ORDER BY period_end DESC, id LIMIT 500",
            new { recyclerId }, cancellationToken: ct));
        var list = new List<StoredRecyclingReport>();
        foreach (var (text, recordedAt) in rows)
        {
            var report = JsonSerializer.Deserialize<RecyclingReport>(text, JsonText.Options)!;
            var party = await parties.GetAsync(report.RecyclerId!, ct);
            list.Add(new StoredRecyclingReport(report, party?.Name ?? report.RecyclerId!, Sql.ParseTime(recordedAt), Recycling.Check(report, at)));
        }
        return list;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
