using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Socle.Modules.Loyalty.Analytics;
using Socle.Modules.Loyalty.Ledger;
using Socle.Modules.Loyalty.Liability;
using Socle.Modules.Loyalty.Programs;
using Socle.Platform;
using Socle.Platform.Cli;
using Spectre.Console;

namespace Socle.Modules.Loyalty.Cli;

/// <summary><c>socle loyalty import|clv|liability|merchants</c>.</summary>
public static class LoyaltyCli
{
    public static Command Create(CliContext context)
    {
        var group = new Command("loyalty", "Loyalty programmes: import past transactions, CLV, IFRS 15 liability");

        var merchants = new Command("merchants", "List the shops (id, name, join code)");
        merchants.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            using var host = await context.StartServicesAsync(parse, true, ct, NoBackground);
            var list = await host.Services.GetRequiredService<Merchants>().ListAsync(ct);
            output.Result(list.Select(m => new { id = m.Id, name = m.Name, join_code = m.JoinCode, created_at = m.CreatedAt }).ToList(), console =>
            {
                var table = new Table().AddColumns("id", "name", "join code");
                foreach (var m in list)
                {
                    table.AddRow(m.Id, Markup.Escape(m.Name), m.JoinCode);
                }
                console.Write(table);
            });
            return ExitCodes.Ok;
        });
        group.Subcommands.Add(merchants);

        var csv = new Argument<FileInfo>("csv") { Description = "CSV with a header: date,amount_eur[,member,category,items,ref]" };
        var merchantOption = new Option<string>("--merchant") { Description = "The shop's id (see 'socle loyalty merchants')", Required = true };
        var import = new Command("import", "Import past transactions of a shop (idempotent: importing twice records nothing new)") { csv, merchantOption };
        import.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            var file = parse.GetValue(csv)!;
            if (!file.Exists)
            {
                return output.Fail(Error.NotFound($"File {file.FullName}"));
            }
            using var host = await context.StartServicesAsync(parse, true, ct, NoBackground);
            var merchantId = parse.GetValue(merchantOption)!;
            if (await host.Services.GetRequiredService<Merchants>().GetAsync(merchantId, ct) is null)
            {
                return output.Fail(Error.NotFound("shop " + merchantId));
            }
            using var reader = file.OpenText();
            var result = await host.Services.GetRequiredService<PurchaseImport>().ImportAsync(merchantId, reader, ct);
            if (!result.TryGet(out var report, out var error))
            {
                return output.Fail(error);
            }
            output.Result(report, console =>
            {
                console.WriteLine($"{report.Rows} row(s): {report.Recorded} recorded, {report.Replayed} already there; {report.Members} member purchase(s), {report.Others} other(s).");
                foreach (var e in report.Errors.Take(20))
                {
                    console.WriteLine("  " + e);
                }
            });
            return report.Errors.Count == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        group.Subcommands.Add(import);

        var transactions = new Argument<FileInfo>("transactions") { Description = "Transactions: CDNOW_master.txt format (id yyyyMMdd count amount) or CSV customer,date,amount" };
        var end = new Option<string?>("--end") { Description = "End of observation (yyyy-MM-dd); default: the last transaction's day" };
        var top = new Option<int>("--top") { Description = "How many customers to list, by 12-month CLV", DefaultValueFactory = _ => 10 };
        var clv = new Command("clv", "Fit BG/NBD and Gamma-Gamma by maximum likelihood and rank customers by 12-month CLV") { transactions, end, top };
        clv.SetAction((parse, ct) =>
        {
            var output = context.Output(parse);
            var file = parse.GetValue(transactions)!;
            if (!file.Exists)
            {
                return Task.FromResult(output.Fail(Error.NotFound($"File {file.FullName}")));
            }
            List<PurchaseRecord> purchases;
            using (var reader = file.OpenText())
            {
                purchases = ReadTransactions(reader).ToList();
            }
            if (purchases.Count == 0)
            {
                return Task.FromResult(output.Fail(Error.Validation("transactions", "no transaction could be read")));
            }
            DateOnly endDay;
            if (parse.GetValue(end) is { } e)
            {
                if (!DateOnly.TryParseExact(e, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out endDay))
                {
                    return Task.FromResult(output.Fail(Error.Validation("--end", "must be yyyy-MM-dd")));
                }
            }
            else
            {
                endDay = purchases.Max(p => p.Day);
            }
            var watch = Stopwatch.StartNew();
            var histories = CustomerHistories.FromPurchases(purchases, endDay);
            var bg = BetaGeo.FitParameters(histories.Values);
            var gg = GammaGamma.FitParameters(histories.Values);
            var seconds = watch.Elapsed.TotalSeconds;
            var ranked = histories.Select(kv => (Customer: kv.Key, History: kv.Value,
                    Clv: GammaGamma.CustomerLifetimeValue(bg.Parameters, gg.Parameters, kv.Value, 12, 4.345, 0.01)))
                .OrderByDescending(x => x.Clv).Take(Math.Max(0, parse.GetValue(top))).ToList();
            output.Result(new
            {
                transactions = purchases.Count,
                customers = histories.Count,
                observation_end = endDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                bg_nbd = new { r = bg.Parameters.R, alpha = bg.Parameters.Alpha, a = bg.Parameters.A, b = bg.Parameters.B, log_likelihood = bg.LogLikelihood, evaluations = bg.Evaluations },
                gamma_gamma = new { p = gg.Parameters.P, q = gg.Parameters.Q, v = gg.Parameters.V, customers = gg.Customers, evaluations = gg.Evaluations },
                fit_seconds = Math.Round(seconds, 3),
                top = ranked.Select(x => new { customer = x.Customer, frequency = x.History.Frequency, recency_weeks = x.History.Recency, age_weeks = x.History.Age, clv_12_months = Math.Round(x.Clv, 2) }),
            }, console =>
            {
                console.WriteLine($"{purchases.Count} transactions, {histories.Count} customers, observed until {endDay:yyyy-MM-dd}; fitted in {seconds:F3} s.");
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"BG/NBD: r = {bg.Parameters.R:F6}, alpha = {bg.Parameters.Alpha:F6}, a = {bg.Parameters.A:F6}, b = {bg.Parameters.B:F6} (log-likelihood {bg.LogLikelihood:F3})"));
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Gamma-Gamma ({gg.Customers} repeat customers): p = {gg.Parameters.P:F6}, q = {gg.Parameters.Q:F6}, v = {gg.Parameters.V:F6}"));
                var table = new Table().AddColumns("customer", "x", "t_x (weeks)", "T (weeks)", "CLV 12 months");
                foreach (var x in ranked)
                {
                    table.AddRow(x.Customer, x.History.Frequency.ToString(CultureInfo.InvariantCulture), x.History.Recency.ToString("F2", CultureInfo.InvariantCulture),
                        x.History.Age.ToString("F2", CultureInfo.InvariantCulture), x.Clv.ToString("F2", CultureInfo.InvariantCulture));
                }
                console.Write(table);
            });
            return Task.FromResult(ExitCodes.Ok);
        });
        group.Subcommands.Add(clv);

        var merchantArg = new Argument<string>("merchant") { Description = "The shop's id" };
        var liability = new Command("liability", "The IFRS 15 liability report of a shop: deferred revenue, breakage, outstanding units") { merchantArg };
        liability.SetAction(async (parse, ct) =>
        {
            var output = context.Output(parse);
            using var host = await context.StartServicesAsync(parse, true, ct, NoBackground);
            var merchantId = parse.GetValue(merchantArg)!;
            if (await host.Services.GetRequiredService<Merchants>().ProgrammeAsync(merchantId, ct) is not { } programme)
            {
                return output.Fail(Error.NotFound("shop " + merchantId));
            }
            var r = await host.Services.GetRequiredService<LiabilityReport>().BuildAsync(merchantId, programme.Definition, ct);
            output.Result(r, console =>
            {
                var table = new Table().AddColumns("item", "value");
                table.AddRow("member sales (€)", r.MemberSales_eur.ToString("F2", CultureInfo.InvariantCulture));
                table.AddRow("units issued / redeemed / expired / outstanding", $"{r.UnitsIssued} / {r.UnitsRedeemed} / {r.UnitsExpired} / {r.UnitsOutstanding}");
                table.AddRow("value per unit (€), expected redemption", $"{r.ValuePerUnit_eur.ToString(CultureInfo.InvariantCulture)}, {r.ExpectedRedemptionRate:P1}");
                table.AddRow("allocated to points (€)", r.AllocatedToPoints_eur.ToString("F2", CultureInfo.InvariantCulture));
                table.AddRow("revenue recognised (€)", r.RevenueRecognised_eur.ToString("F2", CultureInfo.InvariantCulture));
                table.AddRow("contract liability (€)", r.ContractLiability_eur.ToString("F2", CultureInfo.InvariantCulture));
                table.AddRow("breakage recognised (€)", r.BreakageRecognised_eur.ToString("F2", CultureInfo.InvariantCulture));
                console.Write(table);
            });
            return ExitCodes.Ok;
        });
        group.Subcommands.Add(liability);
        return group;
    }

    private static void NoBackground(Microsoft.Extensions.Hosting.IHostApplicationBuilder b) =>
        b.Configuration.AddInMemoryCollection([new("Socle:Loyalty:Background", "false")]);

    /// <summary>CDNOW master lines (whitespace-separated, yyyyMMdd date) or CSV lines customer,date,amount (a header is skipped).</summary>
    public static IEnumerable<PurchaseRecord> ReadTransactions(TextReader reader)
    {
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var parts = line.Contains(',') ? line.Split(',', StringSplitOptions.TrimEntries) : line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3)
            {
                continue;
            }
            var amountText = parts.Length >= 4 && !line.Contains(',') ? parts[3] : parts[2];
            if ((DateOnly.TryParseExact(parts[1], "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                 || DateOnly.TryParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
                && decimal.TryParse(amountText, NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
            {
                yield return new PurchaseRecord(parts[0], day, amount);
            }
        }
    }
}
