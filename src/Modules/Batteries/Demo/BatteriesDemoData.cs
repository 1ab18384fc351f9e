using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Socle.Modules.Batteries.Circularity;
using Socle.Modules.Batteries.Parties;
using Socle.Modules.Batteries.Passports;
using Socle.Platform.Hosting;
using Socle.Platform.Storage;

namespace Socle.Modules.Batteries.Demo;

/// <summary>
/// The demo a newcomer sees on first start: a fictitious Dunkirk gigafactory (operator) with three passports — an NMC811
/// car battery with two years of readings, an LFP one, and an NMC811 battery repurposed by a second-life operator — plus a
/// repairer, a recycler with a report, a market surveillance authority and the Commission. Their access keys are random and
/// written, once, to <c>batteries-demo-keys.txt</c> next to the SQLite database (or in the working folder); never logged.
/// </summary>
public sealed class BatteriesDemoData : IDemoData
{
    public const string OperatorId = "op-demo";
    public const string SecondLifeId = "op-demo-second-life";
    public const string RepairerId = "li-demo-repairer";
    public const string RecyclerId = "li-demo-recycler";
    public const string AuthorityId = "msa-demo";
    public const string CommissionId = "ec-demo";
    public const string KeysFile = "batteries-demo-keys.txt";

    public string Module => "batteries";

    private static T Check<T>(Socle.Platform.Result<T> result) =>
        result.IsSuccess ? result.Value : throw new InvalidOperationException($"Batteries demo data: {result.Error}");

    public static string KeysPath(IServiceProvider services)
    {
        var db = services.GetRequiredService<Database>();
        if (!db.IsPostgres)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.ConnectionString).DataSource;
            if (Path.GetDirectoryName(file) is { Length: > 0 } dir)
            {
                return Path.Combine(dir, KeysFile);
            }
        }
        return Path.GetFullPath(KeysFile);
    }

    public async Task SeedAsync(IServiceProvider services, CancellationToken ct)
    {
        var parties = services.GetRequiredService<PartyStore>();
        var registry = services.GetRequiredService<PassportRegistry>();
        var time = services.GetRequiredService<TimeProvider>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Socle.Modules.Batteries");
        if (await parties.GetAsync(OperatorId, ct) is not null)
        {
            return;
        }
        var keys = new List<(string Role, string Id, string Key)>();
        async Task<Party> Register(PartyRole role, string id, string name, PartyProfile profile)
        {
            var r = (await parties.RegisterAsync(role, name, profile, ct, id)).Value;
            keys.Add((Party.RoleCode(role), id, r.AccessKey));
            return r.Party;
        }
        var maker = await Register(PartyRole.Operator, OperatorId, "Cellules du Nord SAS (démo)", new PartyProfile
        {
            Identifier = "3770031220000", Bpnl = "BPNL00000003CRHK", Bpna = "BPNA00000003AYRE", ContactName = "Cellules du Nord SAS",
            StreetAddress = "1 quai de la Batterie, Dunkerque", PostalCode = "59140", Country = "FR", WebAddress = "https://www.cellules-du-nord.example/",
        });
        var secondLife = await Register(PartyRole.Operator, SecondLifeId, "Stockage Seconde Vie (démo)", new PartyProfile
        {
            Identifier = "3770031229999", Bpnl = "BPNL00000007XYZA", ContactName = "Stockage Seconde Vie", StreetAddress = "8 rue du Réseau, Lens",
            PostalCode = "62300", Country = "FR",
        });
        await Register(PartyRole.LegitimateInterest, RepairerId, "Garage Réparation Batteries (démo)", new PartyProfile { Interest = "repairer", Country = "FR" });
        var recycler = await Register(PartyRole.LegitimateInterest, RecyclerId, "Recyclage Hauts-de-France (démo)", new PartyProfile { Interest = "recycler", Country = "FR" });
        await Register(PartyRole.MarketSurveillance, AuthorityId, "Autorité de surveillance du marché (démo)", new PartyProfile { Country = "FR" });
        await Register(PartyRole.Commission, CommissionId, "Commission européenne (démo)", new PartyProfile());

        var now = time.GetUtcNow();
        var nmc = Check(await registry.CreateAsync(maker, SamplePassports.Load(SamplePassports.EvNmc811), CreateMode.Create, null, ct)).Head.Id;
        Check(await registry.CreateAsync(maker, SamplePassports.Load(SamplePassports.EvLfp), CreateMode.Create, null, ct));
        // readings since it was put into service: the capacity fades and the resistance grows
        var start = new DateTimeOffset(2026, 3, 3, 8, 0, 0, TimeSpan.Zero);
        if (start > now.AddDays(-30))
        {
            start = now.AddDays(-30);
        }
        var step = (now - start) / 9;
        for (var i = 1; i <= 8; i++)
        {
            Check(await registry.AppendDynamicAsync(maker, nmc, new DynamicReading
            {
                MeasuredAt = start + (step * i),
                StateOfCharge_pct = 40 + (i * 5 % 50),
                RemainingCapacity_ah = Math.Round(214 * (1 - (0.009 * i)), 2),
                RemainingEnergy_kwh = Math.Round(75 * (1 - (0.009 * i)), 2),
                InternalResistance_ohm = Math.Round(0.12 * (1 + (0.02 * i)), 4),
                CellInternalResistance_ohm = Math.Round(0.0008 * (1 + (0.021 * i)), 6),
                RemainingPower_w = Math.Round(210_000 * (1 - (0.006 * i))),
                RoundTripEfficiency_pct = Math.Round(95 - (0.15 * i), 2),
                SelfDischargeRate_pct_per_month = 2 + (0.05 * i),
                FullCycles = 60 * i,
                EnergyThroughput_kwh = 60 * i * 70,
                CapacityThroughput_ah = 60 * i * 200,
                TimeExtremeHighTemp_h = 3 * i,
                TimeExtremeLowTemp_h = 5 * i,
                TimeExtremeHighTempCharging_h = i,
                TimeExtremeLowTempCharging_h = 2 * i,
                NegativeEvent = i == 5 ? "Deep discharge to 2.9 V/cell after 6 weeks parked" : null,
            }, null, ct));
        }
        var old = SamplePassports.WithSerial(SamplePassports.EvNmc811, "NMC75-000002");
        old["generalProductInformation"]!["manufacturingDate"] = "2024-02-05T08:00:00Z";
        var oldId = Check(await registry.CreateAsync(maker, old, CreateMode.Create, null, ct)).Head.Id;
        Check(await registry.ChangeStatusAsync(secondLife, oldId, StatusChange.Repurpose, null, null, ct));

        Check(await services.GetRequiredService<RecyclingReports>().SubmitAsync(recycler, new RecyclingReport
        {
            PeriodStart = new DateOnly(now.Year - 1, 1, 1),
            PeriodEnd = new DateOnly(now.Year - 1, 12, 31),
            BatteryType = "lithium",
            Input_kg = 1_250_000,
            RecycledOutput_kg = 862_500,
            Metals =
            [
                new MetalRecovery("Cobalt", 22_000, 20_460),
                new MetalRecovery("Nickel", 95_000, 88_350),
                new MetalRecovery("Lithium", 21_000, 12_180),
                new MetalRecovery("Copper", 70_000, 67_900),
            ],
        }, ct));

        var path = KeysPath(services);
        var lines = new List<string>
        {
            "# Socle Batteries demo access keys (random, for this database only). Sign in at /batteries/signin or send",
            "# 'Authorization: Bearer <key>' to /api/batteries. Delete this file once you have noted them.",
        };
        lines.AddRange(keys.Select(k => $"{k.Role,-20} {k.Id,-22} {k.Key}"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, lines, ct);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        Log.DemoKeysWritten(logger, path);
    }
}
