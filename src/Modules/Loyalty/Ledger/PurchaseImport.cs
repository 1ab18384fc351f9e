using System.Globalization;
using Dapper;
using Socle.Platform;
using Socle.Platform.Storage;

namespace Socle.Modules.Loyalty.Ledger;

public sealed record ImportReport(int Rows, int Recorded, int Replayed, int Members, int Others, IReadOnlyList<string> Errors);

/// <summary>
/// Imports past transactions from CSV: a header line naming the columns, then one purchase per line.
/// Columns: <c>date</c> (yyyy-MM-dd or ISO 8601), <c>amount_eur</c> (dot decimals), and optionally <c>member</c> (a member id
/// or the member's e-mail), <c>category</c>, <c>items</c>, <c>ref</c> (the receipt number, used as idempotency key; without it
/// the line's content is). Purchases of non-members are kept for the comparisons of the analytics. Importing the same file
/// twice records nothing new.
/// </summary>
public sealed class PurchaseImport(Database db, PurchaseWriter writer)
{
    public async Task<Result<ImportReport>> ImportAsync(string merchantId, TextReader csv, CancellationToken ct = default)
    {
        var header = await csv.ReadLineAsync(ct);
        if (header is null)
        {
            return Error.Validation("csv", "is empty");
        }
        var columns = header.Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        int Col(string name) => columns.IndexOf(name);
        if (Col("date") < 0 || Col("amount_eur") < 0)
        {
            return Error.Validation("csv", "the header must name at least the columns date and amount_eur");
        }
        Dictionary<string, string> byEmail;
        HashSet<string> ids;
        await using (var c = await db.OpenAsync(ct))
        {
            var rows = (await c.QueryAsync<(string Id, string? Email)>(new CommandDefinition(
                "SELECT id, email FROM loyalty_members WHERE merchant_id = @merchantId AND erased_at IS NULL", new { merchantId }, cancellationToken: ct))).AsList();
            byEmail = rows.Where(r => r.Email is not null).GroupBy(r => r.Email!.ToLowerInvariant()).ToDictionary(g => g.Key, g => g.First().Id);
            ids = rows.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        }
        var errors = new List<string>();
        var tasks = new List<Task<Result<PurchaseOutcome>>>();
        int rowsRead = 0, members = 0, others = 0;
        string? line;
        while ((line = await csv.ReadLineAsync(ct)) is not null)
        {
            if (line.Trim().Length == 0)
            {
                continue;
            }
            rowsRead++;
            var f = line.Split(',').Select(x => x.Trim()).ToArray();
            string Get(string name) => Col(name) is var i && i >= 0 && i < f.Length ? f[i] : "";
            var lineNo = rowsRead + 1;
            if (!DateTimeOffset.TryParse(Get("date"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
            {
                errors.Add($"line {lineNo}: date: '{Get("date")}' is not a date");
                continue;
            }
            if (!decimal.TryParse(Get("amount_eur"), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount) || amount < 0 || amount > 1_000_000)
            {
                errors.Add($"line {lineNo}: amount_eur: '{Get("amount_eur")}' is not an amount between 0 and 1000000");
                continue;
            }
            var who = Get("member");
            string? memberId = who.Length == 0 ? null : ids.Contains(who) ? who : byEmail.GetValueOrDefault(who.ToLowerInvariant());
            if (who.Length > 0 && memberId is null)
            {
                errors.Add($"line {lineNo}: member: no member with this id or e-mail (recorded as a non-member purchase)");
            }
            if (memberId is null)
            {
                others++;
            }
            else
            {
                members++;
            }
            _ = int.TryParse(Get("items"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var items);
            var category = Get("category");
            var key = "import:" + (Get("ref") is { Length: > 0 } r ? r : Members.MemberCode.Sha256(line)[..32]);
            tasks.Add(writer.SubmitAsync(new PurchaseCommand(merchantId, key, (long)Math.Round(amount * 100), memberId,
                Lines: category.Length > 0 ? [new Rules.BasketLine(null, category, Math.Max(1, items), amount)] : null,
                Items: items, OccurredAt: date, Source: "import"), ct));
        }
        var results = await Task.WhenAll(tasks);
        var recorded = results.Count(r => r.IsSuccess && !r.Value.Replayed);
        var replayed = results.Count(r => r.IsSuccess && r.Value.Replayed);
        errors.AddRange(results.Where(r => !r.IsSuccess).Select(r => r.Error!.Message));
        return new ImportReport(rowsRead, recorded, replayed, members, others, errors);
    }
}
