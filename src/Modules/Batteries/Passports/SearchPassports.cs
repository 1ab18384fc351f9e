using System.Text;
using Dapper;

namespace Socle.Modules.Batteries.Passports;

/// <summary>A search of the registry. Filters combine with AND; results come in identifier order, <see cref="After"/> pages on.</summary>
public sealed record PassportQuery
{
    public string? OperatorId { get; init; }

    public string? Category { get; init; }

    public string? Chemistry { get; init; }

    public string? BatteryId { get; init; }

    public BatteryStatus? Status { get; init; }

    public PassportLifecycle? Lifecycle { get; init; }

    public DateOnly? ManufacturedFrom { get; init; }

    public DateOnly? ManufacturedTo { get; init; }

    public int Limit { get; init; } = 50;

    public string? After { get; init; }
}

public sealed partial class PassportRegistry
{
    public const int MaxSearchResults = 500;

    public async Task<IReadOnlyList<PassportHead>> SearchAsync(PassportQuery q, CancellationToken ct)
    {
        var sql = new StringBuilder($"SELECT {HeadColumns} FROM battery_passports WHERE 1 = 1");
        var args = new DynamicParameters();
        void Filter(string? value, string column, string name)
        {
            if (value is not null)
            {
                sql.Append($" AND {column} = @{name}");
                args.Add(name, value);
            }
        }
        Filter(q.OperatorId, "operator_id", "operatorId");
        Filter(q.Category, "category", "category");
        Filter(q.Chemistry, "chemistry", "chemistry");
        Filter(q.BatteryId, "battery_id", "batteryId");
        Filter(q.Status?.ToString(), "status", "status");
        Filter(q.Lifecycle?.ToString().ToLowerInvariant(), "lifecycle", "lifecycle");
        if (q.ManufacturedFrom is { } from)
        {
            sql.Append(" AND manufactured_at >= @from");
            args.Add("from", from.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (q.ManufacturedTo is { } to)
        {
            sql.Append(" AND manufactured_at < @to");
            args.Add("to", to.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        if (q.After is not null)
        {
            sql.Append(" AND id > @after");
            args.Add("after", q.After);
        }
        sql.Append(" ORDER BY id LIMIT @limit");
        args.Add("limit", Math.Clamp(q.Limit, 1, MaxSearchResults));
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<HeadRow>(new CommandDefinition(sql.ToString(), args, cancellationToken: ct));
        return rows.Select(r => r.ToHead()).ToList();
    }

    /// <summary>How many passports the registry holds, by lifecycle (for dashboards).</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(string? operatorId, CancellationToken ct)
    {
        await using var c = await db.OpenAsync(ct);
        var rows = await c.QueryAsync<(string Lifecycle, long Count)>(new CommandDefinition(
            "SELECT lifecycle, COUNT(*) FROM battery_passports WHERE (@operatorId IS NULL OR operator_id = @operatorId) GROUP BY lifecycle",
            new { operatorId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Lifecycle, r => r.Count);
    }
}
