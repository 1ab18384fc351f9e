using System.CommandLine;
using System.Text.Json;
using Socle.Modules.Loyalty;
using Socle.Platform.Cli;
using Socle.Testing;

namespace Socle.Loyalty.Tests;

/// <summary><c>socle loyalty …</c>, run in-process through the module's command group.</summary>
public class CliTests
{
    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new CliContext([LoyaltyModule.Descriptor]) { StdOut = stdout, StdErr = stderr };
        var root = new RootCommand("socle") { Options = { context.Json, context.Db } };
        root.Subcommands.Add(LoyaltyModule.Descriptor.Cli!(context));
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Clv_fits_the_CDNOW_master_file_and_ranks_customers()
    {
        var (code, output, _) = await RunAsync("loyalty", "clv", TestData.Path("loyalty", "cdnow", "CDNOW_master.txt"), "--end", "1998-06-30", "--top", "3", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(69_659, root.GetProperty("transactions").GetInt32());
        Assert.Equal(23_570, root.GetProperty("customers").GetInt32());
        Assert.Equal(0.2671, root.GetProperty("bg_nbd").GetProperty("r").GetDouble(), 1e-3);
        Assert.Equal(11_515, root.GetProperty("gamma_gamma").GetProperty("customers").GetInt32());
        var top = root.GetProperty("top");
        Assert.Equal(3, top.GetArrayLength());
        Assert.True(top[0].GetProperty("clv_12_months").GetDouble() >= top[2].GetProperty("clv_12_months").GetDouble());
    }

    [Fact]
    public async Task Import_and_liability_work_on_a_database_and_missing_things_are_clear_errors()
    {
        await using var db = await TestDatabase.CreateAsync(TestDatabase.Sqlite);
        var missing = await RunAsync("loyalty", "liability", "mer_nothing", "--db", db.ConnectionString);
        Assert.Equal(3, missing.Code);
        Assert.Contains("shop mer_nothing was not found", missing.Err);

        // the CLI migrated the database; a shop is set up with the services, then imported into and reported on by the CLI
        var journal = new Platform.Journal.Journal(db.Database, TimeProvider.System);
        var merchants = new Modules.Loyalty.Programs.Merchants(db.Database, TimeProvider.System, journal);
        var shop = (await merchants.SetUpAsync(new Modules.Loyalty.Programs.SetUpShop("Épicerie", "Rue", "Ana", "Points", LedgerTests.Bands, "Panier", 1000, 500))).Value;
        var csv = Path.Combine(Directory.CreateTempSubdirectory("socle-cli-").FullName, "past.csv");
        await File.WriteAllTextAsync(csv, "date,amount_eur,ref\n2026-01-02,80.00,A1\n2026-01-03,12.00,A2\n", TestContext.Current.CancellationToken);
        var import = await RunAsync("loyalty", "import", csv, "--merchant", shop.MerchantId, "--db", db.ConnectionString, "--json");
        Assert.Equal(0, import.Code);
        Assert.Equal(2, JsonDocument.Parse(import.Out).RootElement.GetProperty("recorded").GetInt32());
        var again = await RunAsync("loyalty", "import", csv, "--merchant", shop.MerchantId, "--db", db.ConnectionString, "--json");
        Assert.Equal(2, JsonDocument.Parse(again.Out).RootElement.GetProperty("replayed").GetInt32());
        var liability = await RunAsync("loyalty", "liability", shop.MerchantId, "--db", db.ConnectionString, "--json");
        Assert.Equal(0, liability.Code);
        Assert.Equal(0, JsonDocument.Parse(liability.Out).RootElement.GetProperty("unitsIssued").GetInt64()); // non-member sales earn nothing
        var list = await RunAsync("loyalty", "merchants", "--db", db.ConnectionString, "--json");
        Assert.Contains(shop.MerchantId, list.Out);

        var noFile = await RunAsync("loyalty", "import", "/no/such.csv", "--merchant", shop.MerchantId, "--db", db.ConnectionString);
        Assert.Equal(3, noFile.Code);
    }
}
