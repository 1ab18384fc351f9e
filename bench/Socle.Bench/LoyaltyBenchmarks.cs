using System.Globalization;
using BenchmarkDotNet.Attributes;
using Socle.Modules.Loyalty.Analytics;
using Socle.Modules.Loyalty.Programs;
using Socle.Modules.Loyalty.Rules;

namespace Socle.Bench;

/// <summary>
/// CLV on the full CDNOW master file (69,659 transactions, 23,570 customers, observed to 1998-06-30): read the lines, build
/// the (x, tₓ, T, m) histories, fit BG/NBD and Gamma-Gamma by maximum likelihood. Target: under 1 s.
/// </summary>
[MemoryDiagnoser]
public class LoyaltyClvBenchmarks
{
    private string _master = "";

    [GlobalSetup]
    public void Setup()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Socle.slnx")))
        {
            dir = dir.Parent;
        }
        _master = File.ReadAllText(Path.Combine(dir!.FullName, "data", "loyalty", "cdnow", "CDNOW_master.txt"));
    }

    [Benchmark(Description = "CDNOW master: histories + BG/NBD + Gamma-Gamma fits")]
    public (BetaGeoParameters, GammaGammaParameters) FitFullMaster()
    {
        using var reader = new StringReader(_master);
        var histories = CustomerHistories.FromPurchases(CustomerHistories.ReadCdnowMaster(reader), new DateOnly(1998, 6, 30));
        return (BetaGeo.FitParameters(histories.Values).Parameters, GammaGamma.FitParameters(histories.Values).Parameters);
    }
}

/// <summary>The earning rules for one purchase: the brief's bands, a category multiplier and a recurring boost window.</summary>
[MemoryDiagnoser]
public class LoyaltyRulesBenchmarks
{
    private static readonly ProgrammeDefinition Programme = new()
    {
        Bands = [new Band(50, 5), new Band(null, 10)],
        Multipliers = [new LineMultiplier("pastry", "viennoiseries", null, 2, 10)],
        Boosts = [new Boost("tue", "Tuesday x2", 2, new DateTime(2026, 1, 6, 16, 0, 0), "PT2H", "FREQ=WEEKLY;BYDAY=TU", CapPerMember: 500)],
    };

    private static readonly BasketLine[] Lines = [new("baguette", "pain", 2, 40), new("croissant", "viennoiseries", 4, 40)];

    private static readonly DateTimeOffset Tuesday = DateTimeOffset.Parse("2026-03-10T15:30:00Z", CultureInfo.InvariantCulture);

    [Benchmark(Description = "Earn: 80 € basket, bands + multiplier + boost")]
    public long Earn() => PointsCalculator.Calculate(Programme, 80, Lines, Tuesday, new EarningContext(1, new Dictionary<string, long> { ["tue"] = 500 })).Units;
}
